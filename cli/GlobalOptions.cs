using System.CommandLine;

namespace Sim.Cli;

/// <summary>The options every subcommand accepts (they are recursive, so they may follow the subcommand name).</summary>
public sealed class GlobalOptions
{
    /// <summary><c>--seed</c>: the world seed. Same seed and config give the same run, byte for byte.</summary>
    public Option<ulong> Seed { get; } = new("--seed")
    {
        Description = "World seed; the same seed and config reproduce a run exactly",
        DefaultValueFactory = _ => 1UL,
        Recursive = true,
    };

    /// <summary><c>--json</c>: print one machine-readable JSON document on stdout.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print machine-readable JSON on stdout", Recursive = true };

    /// <summary><c>--profile</c>: print per-system time per tick.</summary>
    public Option<bool> Profile { get; } = new("--profile") { Description = "Print per-system time per tick", Recursive = true };

    /// <summary><c>--verbose</c>: print stack traces on failure.</summary>
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print stack traces on failure", Recursive = true };

    internal void AddTo(RootCommand root)
    {
        root.Options.Add(Seed);
        root.Options.Add(Json);
        root.Options.Add(Profile);
        root.Options.Add(Verbose);
    }
}
