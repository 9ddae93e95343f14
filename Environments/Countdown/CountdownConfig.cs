namespace Sim.Environments.Countdown;

/// <summary>
/// The rules and generator settings of a <see cref="CountdownEnvironment"/>. The default is the TV game as used by
/// Stream of Search: intermediate values are positive integers, division must be exact, and the target may be made from
/// any subset of the numbers. <see cref="Game24"/> is the 24 game: four numbers, target 24, rationals allowed, all used.
/// </summary>
public sealed record CountdownConfig
{
    /// <summary>The registry name.</summary>
    public string Name { get; init; } = "countdown";

    /// <summary>
    /// False (the TV game): every intermediate value must be a positive integer, so <c>a - b</c> needs a &gt; b and
    /// <c>a / b</c> needs b to divide a. True: any rational value is allowed (division by zero never is).
    /// </summary>
    public bool AllowRationals { get; init; }

    /// <summary>True: the target must be made using every number exactly once. False: any subset, each at most once.</summary>
    public bool MustUseAll { get; init; }

    /// <summary>A fixed target (24 for the 24 game), or null to generate one per problem.</summary>
    public int? FixedTarget { get; init; }

    /// <summary>A fixed count of numbers (4 for the 24 game), or null to take it from the difficulty.</summary>
    public int? FixedCount { get; init; }

    /// <summary>The fraction of generated problems that are unsolvable (proved so by the solver). 0 by default: every problem is solvable.</summary>
    public double UnsolvableFraction { get; init; }

    /// <summary>Process reward of a valid step after which the target can no longer be reached (a correct but losing move).</summary>
    public double DeadEndReward { get; init; } = 0.2;

    /// <summary>The 24 game: 4 numbers, target 24, rationals allowed, all numbers used.</summary>
    public static CountdownConfig Game24 { get; } = new()
    {
        Name = "game24",
        AllowRationals = true,
        MustUseAll = true,
        FixedTarget = 24,
        FixedCount = 4,
    };

    /// <summary>The TV game with every number used (<c>countdown-all</c>).</summary>
    public static CountdownConfig AllNumbers { get; } = new() { Name = "countdown-all", MustUseAll = true };

    /// <summary>Rationals allowed, any subset (<c>countdown-rationals</c>); at most 6 numbers (difficulty 1–4), which
    /// bounds the exhaustive oracle.</summary>
    public static CountdownConfig Rationals { get; } = new() { Name = "countdown-rationals", AllowRationals = true };

    /// <summary>Every rule set the environment knows, by registry name: the TV game, all numbers used, rationals, and
    /// the 24 game.</summary>
    public static IReadOnlyList<CountdownConfig> RuleSets { get; } = [new CountdownConfig(), AllNumbers, Rationals, Game24];

    /// <summary>How many numbers a problem at <paramref name="difficulty"/> has.</summary>
    public int CountAt(int difficulty) => FixedCount ?? difficulty + 2;

    /// <summary>The largest number drawn at <paramref name="difficulty"/>.</summary>
    public int MaxValueAt(int difficulty) => FixedTarget is not null
        ? difficulty switch { 1 => 9, 2 => 13, _ => 20 }
        : difficulty switch { 1 => 10, 2 => 25, 3 => 50, _ => 100 };

    /// <summary>The generated target's range at <paramref name="difficulty"/> (inclusive).</summary>
    public (int Min, int Max) TargetRangeAt(int difficulty) => difficulty switch
    {
        1 => (10, 100),
        2 => (10, 250),
        3 => (100, 500),
        _ => (100, 999),
    };
}
