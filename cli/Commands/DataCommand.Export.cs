using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Serialization;
using Sim.Engine;
using Sim.Environments;
using Sim.Replay;
using Sim.Systems;
using Sim.Systems.Export;
using Sim.Systems.Search;

namespace Sim.Cli.Commands;

public static partial class DataCommand
{
    /// <summary>The formats <c>sim data export</c> writes.</summary>
    public static readonly IReadOnlyList<string> ExportFormats = ["trl-sft", "trl-kto", "trl-dpo", "prm", "reasoning-gym"];

    /// <summary>The formats a replay can be exported to: it records episodes, but no verdicts per line nor problems.</summary>
    public static readonly IReadOnlyList<string> ReplayFormats = ["trl-sft", "trl-kto"];

    private static readonly JsonSerializerOptions Rows = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // `sim data export --format F --out FILE.jsonl|FILE.parquet [run options]`: runs a search like `sim run` and writes
    // what its finished episodes teach (ExportSystem) in one of the trainers' formats; with `--replay FILE`, the episodes
    // a recorded run holds instead.
    private static Command Export(CommandFactory f)
    {
        var format = new Option<string>("--format") { Description = "trl-sft, trl-kto, trl-dpo, prm (TRL step-wise) or reasoning-gym", Required = true };
        var replay = new Option<string?>("--replay") { Description = "Export the episodes of a recorded run (sim run --out) instead of running a search: trl-sft or trl-kto" };
        var output = new Option<string>("--out") { Description = "Output file: .jsonl or .parquet", Required = true };
        var env = new Option<string>("--env") { Description = "Environment", DefaultValueFactory = _ => "countdown" };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty (default: the environment's default)" };
        var policy = new Option<string>("--policy") { Description = "Policy spec (see sim run)", DefaultValueFactory = _ => RunCommand.DefaultPolicy };
        var search = new Option<string>("--search") { Description = "Search (see sim run)", DefaultValueFactory = _ => "mcts" };
        var agents = new Option<int>("--agents") { Description = "Agents working at once", DefaultValueFactory = _ => 64 };
        var ticks = new Option<int>("--ticks") { Description = "Ticks to run", DefaultValueFactory = _ => 100 };
        var budget = new Option<string>("--budget") { Description = "Per-episode budget (see sim run)", DefaultValueFactory = _ => RunCommand.DefaultBudget };
        return f.Make("export", "Run a search (or read a replay) and export what its episodes teach: TRL SFT, KTO, DPO pairs from search trees, step-wise PRM data, or reasoning-gym rows, as JSONL or Parquet", ctx =>
        {
            string fmt = ctx.Get(format)!.Trim().ToLowerInvariant();
            if (!ExportFormats.Contains(fmt)) throw new UsageException($"unknown --format '{fmt}'; known: {string.Join(", ", ExportFormats)}");
            string path = ctx.Get(output)!;
            bool parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
            if (!parquet && !path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--out must end in .jsonl or .parquet");
            CheckWritable(path);
            if (ctx.Get(replay) is { } recorded) return ExportReplay(ctx, recorded, fmt, path, parquet);
            int n = ctx.Get(agents), t = ctx.Get(ticks);
            if (n < 1 || n > 100_000) throw new UsageException("--agents must be in 1..100000");
            if (t < 1 || t > 1_000_000) throw new UsageException("--ticks must be in 1..1000000");
            var environment = EnvironmentRegistry.Default.Get(ctx.Get(env)!);
            string name = ctx.Get(search)!.Trim().ToLowerInvariant();
            if (!SearchAlgorithms.Names.Contains(name)) throw new UsageException($"unknown search '{name}'; known: {string.Join(", ", SearchAlgorithms.Names)}");
            var model = PolicySpec.Parse(ctx.Get(policy)!);
            var spec = new ContinuousRunSpec(environment, ctx.Get(difficulty) ?? environment.Difficulty.Default, model, null,
                name, null, n, RunBudget.Parse(ctx.Get(budget)!), ctx.Seed);

            using var world = World.Create(ctx.Seed);
            var pipeline = ContinuousRun.Build(world, spec);
            var export = new ExportSystem();
            pipeline.Add(Stages.SearchBackup, export);
            ctx.WithProgress($"{name} on {environment.Name}", progress => { pipeline.Run(t, progress); return 0; });

            int rows = fmt switch
            {
                "trl-sft" => Write(path, parquet, export.Sft),
                "trl-kto" => Write(path, parquet, export.Kto),
                "trl-dpo" => Write(path, parquet, export.Dpo),
                "prm" => Write(path, parquet, export.Prm),
                _ => Write(path, parquet, export.Gym),
            };
            var m = world.Resources.Get<SearchRun>().Metrics;
            long policyErrors = model is Sim.Agents.Policies.OpenAIPolicy http ? http.Errors : 0;
            if (ctx.Json)
                ctx.Out.WriteLine(JsonSerializer.Serialize(new { format = fmt, path, rows, episodes = m.Episodes, solved = m.Solved, parquet, policy_errors = policyErrors, environment_errors = m.EnvironmentErrors }));
            else
                ctx.Out.WriteLine($"export: wrote {rows} {fmt} rows to {path} from {m.Episodes} episodes ({m.Solved} solved) of {name} on {environment.Name}");
            // The rows are written either way; failed policy requests or environment faults make it exit 3, as sim run.
            return RunCommand.Faults(ctx, m, model);
        }, format, output, replay, env, difficulty, policy, search, agents, ticks, budget);
    }

    /// <summary>
    /// Writes the episodes of the replay at <paramref name="file"/> as <c>trl-sft</c> (solved ones) or <c>trl-kto</c>
    /// (every answered one, labelled) rows: the one export path, which <c>sim replay export</c> also takes.
    /// </summary>
    internal static int ExportReplay(CliContext ctx, string file, string fmt, string path, bool parquet)
    {
        // A replay records each episode's prompt, committed completion, reward and verdict, but not the verdict of each
        // line nor the problem's ground truth, so the tree and problem formats need a fresh run.
        if (!ReplayFormats.Contains(fmt))
            throw new UsageException($"--format {fmt} needs a fresh run (a replay holds no per-line verdicts nor problems); from a replay: {string.Join(", ", ReplayFormats)}");
        CheckWritable(path);
        using var reader = ReplayReader.Open(file);
        var sft = new List<SftRow>();
        var kto = new List<KtoRow>();
        long episodes = 0, solved = 0;
        foreach (var tick in reader.Ticks())
            foreach (var e in tick.Episodes)
            {
                episodes++;
                if (e.Solved) solved++;
                if (e.Completion.Length == 0) continue; // no committed answer: nothing to learn from or to label
                // The same shape as a fresh run's rows: one line each, ending with a newline.
                string completion = e.Completion.EndsWith('\n') ? e.Completion : e.Completion + "\n";
                kto.Add(new KtoRow { Prompt = e.Prompt, Completion = completion, Label = e.Solved, Reward = e.Reward });
                if (e.Solved) sft.Add(new SftRow { Prompt = e.Prompt, Completion = completion });
            }
        if (reader.Truncation is not null) ctx.Err.WriteLine($"warning: {reader.Truncation.Message}; exported ticks {reader.FirstTick}..{reader.LastTick}");
        int rows = fmt == "trl-sft" ? Write(path, parquet, sft) : Write(path, parquet, kto);
        if (ctx.Json)
            ctx.Out.WriteLine(JsonSerializer.Serialize(new { format = fmt, path, rows, episodes, solved, parquet, replay = file }));
        else
            ctx.Out.WriteLine($"export: wrote {rows} {fmt} rows to {path} from {episodes} recorded episodes ({solved} solved) of {file}");
        return ExitCodes.Ok;
    }

    // JSONL (one object a line; a reasoning-gym row's metadata as an object) or Parquet (Parquet.Net's class serializer,
    // column names from [JsonPropertyName]), written through a temporary file so a failure leaves no half file.
    private static int Write<T>(string path, bool parquet, List<T> rows)
    {
        WriteThroughTemp(path, tmp => WriteTemp(tmp, parquet, rows));
        return rows.Count;
    }

    // Writes a sibling temporary file and moves it into place, so a failure leaves any earlier file whole and no half one.
    private static void WriteThroughTemp(string path, Action<string> write)
    {
        string tmp = path + ".tmp";
        try
        {
            write(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    // Before a run that may be long: the output's folder must exist and the path must not be a folder.
    private static void CheckWritable(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"--out {path} is a directory");
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir)) throw new UsageException($"--out: directory {dir} does not exist");
    }

    private static void WriteTemp<T>(string tmp, bool parquet, List<T> rows)
    {
        if (parquet)
        {
            using (var stream = File.Create(tmp)) ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
        }
        else
        {
            using var w = new StreamWriter(tmp, false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
            foreach (var row in rows)
            {
                var node = JsonSerializer.SerializeToNode(row, Rows)!.AsObject();
                if (row is GymRow g) node["metadata"] = JsonNode.Parse(g.Metadata);
                w.WriteLine(node.ToJsonString(Rows));
            }
        }
    }
}
