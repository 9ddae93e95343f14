using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sim.Engine;
using Sim.Replay;
using Sim.Systems.Demo;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim demo [--ticks N] [--entities N] [--out FILE]</c>: a small ECS simulation (particles that move on every core,
/// bounce, expire through the command buffer and respawn from seeded streams). Prints a summary, the state hash and,
/// with <c>--profile</c>, the per-system time per tick. With <c>--out</c> it records the run to a replay.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var ticks = new Option<int>("--ticks") { Description = "Ticks to run", DefaultValueFactory = _ => 600 };
        var entities = new Option<int>("--entities") { Description = "Particles kept alive", DefaultValueFactory = _ => 4096 };
        var output = new Option<string?>("--out") { Description = "Record the run to this replay file" };
        var meta = new Option<bool>("--replay-meta") { Description = "Also write the time and host into the replay (makes it differ run to run)" };
        return f.Make("demo", "Run a small ECS simulation and print its per-system profile", ctx =>
        {
            int n = ctx.Get(ticks), count = ctx.Get(entities);
            if (n < 0) throw new UsageException("--ticks must be >= 0");
            if (count <= 0 || count > 10_000_000) throw new UsageException("--entities must be in 1..10000000");
            using var world = World.Create(ctx.Seed);
            var config = new DemoConfig(Entities: count);
            var pipeline = DemoSystems.Build(world, config).EnableProfiling();
            string? path = ctx.Get(output);
            using var writer = path is null ? null : ReplayWriter.Create(path,
                DemoRecording.Header(ctx.Seed, config, n, VersionCommand.CodeVersion), new ReplayWriterOptions { IncludeMeta = ctx.Get(meta) });
            if (writer is not null) DemoRecording.AddTo(pipeline, writer);
            var sw = Stopwatch.StartNew();
            ctx.WithProgress("demo", progress => { pipeline.Run(n, progress); return 0; });
            writer?.Dispose(); // writes the footer; the replay is complete from here on
            sw.Stop();
            var metrics = world.Resources.Get<DemoMetrics>();
            string hash = world.StateHash().ToString("x16");
            var profile = pipeline.Profiler!.Entries();
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    seed = ctx.Seed, ticks = n, alive = metrics.Alive, spawned = metrics.Spawned, expired = metrics.Expired,
                    state_hash = hash, replay = path, ticks_per_s = n / Math.Max(1e-9, sw.Elapsed.TotalSeconds),
                    profile = profile.Select(p => new { system = p.Path, total_ms = p.TotalMs, us_per_tick = p.MeanUsPerTick }),
                }));
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine($"demo: {n} ticks, seed {ctx.Seed}, {metrics.Alive} alive, {metrics.Spawned} spawned, {metrics.Expired} expired");
            ctx.Out.WriteLine($"      {n / Math.Max(1e-9, sw.Elapsed.TotalSeconds):F0} ticks/s, state hash {hash}");
            if (path is not null) ctx.Out.WriteLine($"      replay written to {path} ({new FileInfo(path).Length} bytes)");
            var table = new Table().AddColumns("system", "total ms", "µs/tick");
            foreach (var p in profile) table.AddRow(p.Path, p.TotalMs.ToString("F2"), p.MeanUsPerTick.ToString("F1"));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        }, ticks, entities, output, meta);
    }
}
