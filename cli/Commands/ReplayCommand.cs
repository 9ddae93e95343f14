using System.CommandLine;
using System.Text.Json;
using Sim.Replay;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim replay info|verify|stats|export|diff</c>: inspect, check, summarise, export and compare replays.
/// A corrupt or foreign file gives a one-line error naming the byte offset and exit code 2. A cut-short file is exit 2
/// for <c>info</c> and <c>verify</c>; <c>stats</c> and <c>export</c> use its whole chunks and warn.
/// </summary>
public static class ReplayCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(CommandFactory f) => f.Group("replay", "Inspect, verify, summarise, export and compare replays",
        Info(f), Verify(f), Stats(f), Export(f), Diff(f));

    private static Argument<string> FileArg(string name = "file") => new(name) { Description = "Replay file" };

    private static Command Info(CommandFactory f)
    {
        var file = FileArg();
        return f.Make("info", "Print a replay's header, size and tick range; checks every checksum", ctx =>
        {
            using var r = ReplayReader.Open(ctx.Get(file)!);
            ReplayFormatException? problem = r.Truncation;
            VerifyResult? verified = null;
            try { verified = r.Verify(decode: false); }
            catch (ReplayFormatException ex) { problem = ex; }
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    file = r.Path, bytes = r.Length, schema_version = r.SchemaVersion, seed = r.Header.Seed,
                    code_version = r.Header.CodeVersion, source = r.Header.Source, config = JsonDocument.Parse(SafeJson(r.Header.ConfigJson)).RootElement,
                    components = r.Header.Components.Select(c => new { id = c.Id, name = c.Name, fields = c.Fields }),
                    chunks = r.Chunks.Count, ticks = r.TickCount, first_tick = r.FirstTick, last_tick = r.LastTick,
                    complete = r.IsComplete, cut_short = r.Truncation is not null,
                    problem = problem?.Message, problem_offset = problem?.Offset,
                    meta = r.Meta?.Entries,
                }));
            }
            else
            {
                ctx.Out.WriteLine($"replay   {r.Path}");
                ctx.Out.WriteLine($"size     {r.Length} bytes, schema version {r.SchemaVersion}");
                ctx.Out.WriteLine($"source   {r.Header.Source}, seed {r.Header.Seed}, code {r.Header.CodeVersion}");
                ctx.Out.WriteLine($"config   {r.Header.ConfigJson}");
                ctx.Out.WriteLine($"records  {string.Join(", ", r.Header.Components.Select(c => $"{c.Name}({string.Join(",", c.Fields)})"))}");
                ctx.Out.WriteLine($"ticks    {r.TickCount} ({r.FirstTick}..{r.LastTick}) in {r.Chunks.Count} chunks");
                if (r.Meta is not null) ctx.Out.WriteLine($"meta     {string.Join(", ", r.Meta.Entries.Select(kv => $"{kv.Key}={kv.Value}"))}");
                ctx.Out.WriteLine($"status   {(problem is null ? "complete, all checksums pass" : r.Truncation is not null && ReferenceEquals(problem, r.Truncation) ? $"cut short: readable up to tick {r.LastTick}" : "corrupt")}");
            }
            if (problem is null) return ExitCodes.Ok;
            string prefix = ReferenceEquals(problem, r.Truncation)
                ? $"the file was cut short; {r.Chunks.Count} complete chunks (ticks {r.FirstTick}..{r.LastTick}) are readable: " : "";
            ctx.Err.WriteLine($"error: {prefix}{problem.Message}");
            return ExitCodes.BadInput;
        }, file);
    }

    private static string SafeJson(string s)
    {
        try { using var _ = JsonDocument.Parse(s); return s; }
        catch (JsonException) { return JsonSerializer.Serialize(s); }
    }

    private static Command Verify(CommandFactory f)
    {
        var file = FileArg();
        return f.Make("verify", "Check every checksum and decode every chunk; exit 0 when all pass, 2 otherwise", ctx =>
        {
            using var r = ReplayReader.Open(ctx.Get(file)!);
            var v = r.Verify(); // throws ReplayFormatException (exit 2) at the first problem
            if (ctx.Json) ctx.Out.WriteLine(JsonSerializer.Serialize(new { ok = true, frames = v.Frames, chunks = v.Chunks, ticks = v.Ticks, bytes = v.Bytes }));
            else ctx.Out.WriteLine($"ok: {v.Frames} frames, {v.Chunks} chunks, {v.Ticks} ticks, {v.Bytes} bytes; every checksum passes");
            return ExitCodes.Ok;
        }, file);
    }

    private static Command Stats(CommandFactory f)
    {
        var file = FileArg();
        return f.Make("stats", "Reward, solve rate and compute per agent and overall", ctx =>
        {
            using var r = ReplayReader.Open(ctx.Get(file)!);
            var s = ReplayStats.Compute(r);
            if (r.Truncation is not null) ctx.Err.WriteLine($"warning: {r.Truncation.Message}; statistics cover ticks {r.FirstTick}..{r.LastTick}");
            static object Row(AgentStats a) => new
            {
                agent = a.Agent, name = a.Label, episodes = a.Episodes, solved = a.Solved,
                mean_reward = Num(a.MeanReward), solve_rate = Num(a.SolveRate), compute = a.Compute,
                compute_per_episode = Num(a.ComputePerEpisode), rewards = a.Rewards,
            };
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    file = r.Path, ticks = s.Ticks, first_tick = s.FirstTick, last_tick = s.LastTick, peak_entities = s.PeakEntities,
                    cut_short = r.Truncation is not null,
                    overall = Row(s.Overall), agents = s.Agents.Values.Select(Row), final_metrics = s.FinalMetrics,
                }));
            }
            else
            {
                ctx.Out.WriteLine($"{s.Ticks} ticks ({s.FirstTick}..{s.LastTick}), peak {s.PeakEntities} entities");
                var table = new Table().AddColumns("agent", "episodes", "solve rate", "mean reward", "compute/episode");
                foreach (var a in s.Agents.Values.Append(s.Overall))
                    table.AddRow(Markup.Escape(a.Label ?? a.Agent.ToString()), a.Episodes.ToString(), a.SolveRate.ToString("F3"),
                        a.MeanReward.ToString("F3"), a.ComputePerEpisode.ToString("F1"));
                ctx.Console.Write(table);
                if (s.FinalMetrics.Count > 0) ctx.Out.WriteLine("final metrics: " + string.Join(", ", s.FinalMetrics.Select(kv => $"{kv.Key}={kv.Value:G6}")));
            }
            return ExitCodes.Ok;
        }, file);
    }

    private static double? Num(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;

    // The replay's side of the one export path: `sim data export --replay FILE --format trl-kto --out OUT`.
    private static Command Export(CommandFactory f)
    {
        var file = FileArg();
        var jsonl = new Option<string>("--jsonl") { Description = "Output file: one TRL KTO row per answered episode (prompt, completion, label, reward)", Required = true };
        return f.Make("export", "Export episodes as TRL KTO rows (the same as sim data export --replay FILE --format trl-kto)", ctx =>
        {
            string path = ctx.Get(jsonl)!;
            bool parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
            return DataCommand.ExportReplay(ctx, ctx.Get(file)!, "trl-kto", path, parquet);
        }, file, jsonl);
    }

    private static Command Diff(CommandFactory f)
    {
        var a = FileArg("a");
        var b = FileArg("b");
        return f.Make("diff", "Print the first tick where two replays differ (exit 0 when identical, 1 when they differ)", ctx =>
        {
            using var ra = ReplayReader.Open(ctx.Get(a)!);
            using var rb = ReplayReader.Open(ctx.Get(b)!);
            var d = ReplayDiff.Compare(ra, rb);
            if (ctx.Json) ctx.Out.WriteLine(JsonSerializer.Serialize(new { identical = d.Identical, first_tick = d.Tick, detail = d.Detail, header = d.HeaderDetail }));
            else
            {
                if (d.HeaderDetail is not null) ctx.Out.WriteLine($"headers differ: {d.HeaderDetail}");
                ctx.Out.WriteLine(d.Identical ? "identical: every tick matches" : $"first difference at tick {d.Tick}: {d.Detail}");
            }
            return d.Identical ? ExitCodes.Ok : ExitCodes.RunFailed;
        }, a, b);
    }
}
