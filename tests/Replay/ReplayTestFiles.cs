using System.Runtime.CompilerServices;
using Sim.Replay;

namespace Sim.Tests.Replay;

/// <summary>Helpers shared by the replay tests: temp paths, small hand-built replays, running the CLI in-process.</summary>
internal static class ReplayTestFiles
{
    private static int _n;

    public static string TempPath(string name = "t") =>
        Path.Combine(Path.GetTempPath(), $"sim-test-{Environment.ProcessId}-{Interlocked.Increment(ref _n)}-{name}.replay");

    public static string SourceDir([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    public static ReplayHeader Header(int version = ReplayFormat.CurrentVersion) => new(version, 42, "test", "unit", "{\"n\":3}",
        [new ComponentSchema(0, "position", ["x", "y"]), new ComponentSchema(1, "status", ["value"])], 0);

    /// <summary>Ticks 1..n: entities appear and die, positions move, an agent grows a tree, metrics and an episode.</summary>
    public static List<TickRecord> Ticks(int n, int chunkTicks = 5)
    {
        var list = new List<TickRecord>();
        for (int t = 1; t <= n; t++)
        {
            bool key = (t - 1) % chunkTicks == 0;
            var r = new TickRecord { Tick = t, Keyframe = key };
            if (key)
            {
                for (int e = 1; e <= 3; e++) r.Created.Add(new EntityCreated(e, e == 1 ? EntityKind.Agent : EntityKind.Particle, $"e{e}"));
            }
            r.Components.Add(new ComponentBlock(0, [1, 2, 3], [t, 2 * t, t + 0.5f, 7, -t, 1e-3f * t]));
            r.TreeNodes.Add(new TreeNodeRecord(1, t, t - 1 == 0 ? -1 : t - 1, $"step {t}", t, t / (float)n, 0.5f, t % 2 == 0));
            r.Rewards.Add(new RewardRecord(1, 0.25f * (t % 4), RewardKind.Process, t));
            r.Metrics.Add(new MetricRecord("loss", 1.0 / t));
            if (t % 7 == 0) r.Episodes.Add(new EpisodeRecord(1, t / 7, 2, $"prompt {t}", $"answer {t}", 1, t % 14 == 0, 100 + t));
            list.Add(r);
        }
        return list;
    }

    public static string Write(IEnumerable<TickRecord> ticks, ReplayWriterOptions? options = null, ReplayHeader? header = null, string? path = null)
    {
        path ??= TempPath();
        using var w = ReplayWriter.Create(path, header ?? Header(), options ?? new ReplayWriterOptions { ChunkTicks = 5 });
        foreach (var t in ticks) w.Append(t);
        return path;
    }

    /// <summary>Runs <c>sim</c> in-process; returns the exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) RunSim(params string[] args) => global::Sim.Tests.Cli.CliTests.Run(args);
}
