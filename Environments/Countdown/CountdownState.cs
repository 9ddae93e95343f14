using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>The numbers still available (the unused starting numbers and the results of earlier steps).</summary>
public sealed class CountdownState : EnvState
{
    /// <summary>Makes a state from the available numbers (the array is owned by the state; do not change it).</summary>
    public CountdownState(Rational[] available) => Available = available;

    /// <summary>The available numbers.</summary>
    public Rational[] Available { get; }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Available)}]";
}
