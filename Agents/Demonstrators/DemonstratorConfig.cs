namespace Sim.Agents.Demonstrators;

/// <summary>Settings of a <see cref="Demonstrator"/>.</summary>
/// <param name="MaxNodes">Stream-of-Search traces visit at most this many search nodes; problems that need more are
/// skipped (no row, and counted). The default keeps every search a 4-number countdown problem can need (the search-heavy
/// traces are the ones that teach search); lower it to fit a small model's context.</param>
/// <param name="DetourChance">Human-like traces: the chance, per step, of first trying a plausible move that turns out to
/// be a dead end, then evaluating, correcting and proposing the alternative.</param>
public sealed record DemonstratorConfig(int MaxNodes = DemonstratorConfig.DefaultMaxNodes, double DetourChance = 0.35)
{
    /// <summary>The default node cap: high enough that no countdown problem of up to 5 numbers is dropped in practice.</summary>
    public const int DefaultMaxNodes = 100_000;

    /// <summary>Checks ranges; throws <see cref="ArgumentException"/> with the reason.</summary>
    public DemonstratorConfig Validate()
    {
        if (MaxNodes < 1) throw new ArgumentException("MaxNodes must be >= 1");
        if (!(DetourChance >= 0 && DetourChance <= 1)) throw new ArgumentException("DetourChance must be in [0, 1]");
        return this;
    }
}
