using Sim.Environments.Exact;

namespace Sim.Environments.Arith;

/// <summary>
/// Progress on an arithmetic problem: which operations of the expression have been computed (a bit per inner node)
/// and every value derived so far (usable in later steps).
/// </summary>
public sealed class ArithState : EnvState
{
    /// <summary>Makes a state (the array is owned by the state; do not change it).</summary>
    public ArithState(ulong computed, Rational[] derived)
    {
        Computed = computed;
        Derived = derived;
    }

    /// <summary>Bit i is set when inner node i has been computed (or is a fraction literal).</summary>
    public ulong Computed { get; }

    /// <summary>Values derived by earlier valid steps, in order.</summary>
    public Rational[] Derived { get; }

    /// <inheritdoc />
    public override string ToString() => $"computed {ulong.PopCount(Computed)} ops; derived [{ArithExpression.Describe(Derived)}]";
}
