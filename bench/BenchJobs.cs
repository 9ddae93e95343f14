using Sim.Bench.Suites;

namespace Sim.Bench;

/// <summary>
/// The jobs a suite runs in fresh processes through <see cref="BenchProcess"/>: each builds its workload, warms it up,
/// times one part of it, and returns the cost. <c>sim bench-job NAME ARGS...</c> runs one and prints
/// <see cref="BenchProcess.Format"/>'s line.
/// </summary>
public static class BenchJobs
{
    /// <summary>Every job by name, with a line on its arguments.</summary>
    public static IReadOnlyDictionary<string, (string Usage, Func<IReadOnlyList<string>, RunTime> Run)> All { get; } =
        new Dictionary<string, (string, Func<IReadOnlyList<string>, RunTime>)>(StringComparer.Ordinal)
        {
            ["replay.search"] = ("VARIANT TICKS: the recorded-run workload of `sim bench replay`; VARIANT none, file or caller", ReplaySuite.SearchJob),
        };

    /// <summary>Runs job <paramref name="name"/>; an unknown name or bad arguments throw <see cref="ArgumentException"/>.</summary>
    public static RunTime Run(string name, IReadOnlyList<string> args)
    {
        if (!All.TryGetValue(name, out var job))
            throw new ArgumentException($"unknown bench job '{name}'; jobs are: {string.Join("; ", All.Select(j => $"{j.Key} {j.Value.Usage}"))}");
        return job.Run(args);
    }
}
