namespace Sim.Environments;

/// <summary>The closed interval a process reward lies in.</summary>
/// <param name="Min">The lowest reward (an invalid step).</param>
/// <param name="Max">The highest reward (a valid step that keeps the task solvable and makes progress).</param>
public readonly record struct RewardRange(double Min, double Max)
{
    /// <summary>True when <paramref name="reward"/> lies in the range.</summary>
    public bool Contains(double reward) => reward >= Min && reward <= Max;

    /// <summary>[0, 1], the range of every built-in environment.</summary>
    public static RewardRange Unit => new(0.0, 1.0);
}
