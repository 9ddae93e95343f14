namespace Sim.Environments;

/// <summary>
/// The environment's view of one partial solution: what has been derived so far. States are immutable values, so a
/// search tree can branch from any of them; <see cref="IEnvironment.CheckStep"/> returns a new one and never changes
/// its input. Each environment defines its own subclass; <see cref="ToString"/> shows it to people.
/// </summary>
public abstract class EnvState
{
    /// <summary>How many valid steps led here from <see cref="IEnvironment.Start"/>.</summary>
    public int Depth { get; init; }

    /// <summary>A short human-readable form of the state, e.g. <c>[5, 4, 4]</c>.</summary>
    public abstract override string ToString();
}
