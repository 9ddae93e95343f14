using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Data;
using Sim.Agents.Demonstrators;
using Sim.Agents.Training;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim data demos --env NAME --style sos|sos-bfs|optimal|human --count N --out FILE [--difficulty D]</c>: writes a
/// JSONL dataset of demonstrations with TRL's <c>prompt</c> / <c>completion</c> fields, plus <c>id</c>, <c>style</c> and
/// <c>problem</c> (the reasoning-gym row, so evaluators can rebuild the problem). Problem seeds are
/// <c>--seed · 1,000,000 + i</c>, so datasets with different seeds are disjoint by construction.
/// </summary>
public static partial class DataCommand
{
    /// <summary>Problems are drawn from seeds <c>seed · SeedStride + i</c> (<see cref="HeldOutSplit"/>'s training range).</summary>
    public const ulong SeedStride = HeldOutSplit.SeedStride;

    /// <summary>Builds the command group.</summary>
    public static Command Create(CommandFactory f)
    {
        var env = new Option<string>("--env") { Description = "Environment name (e.g. countdown)", Required = true };
        var style = new Option<string>("--style") { Description = "sos (DFS), sos-bfs, optimal or human", Required = true };
        var count = new Option<int>("--count") { Description = "Rows to write", DefaultValueFactory = _ => 1000 };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty (default: the environment's default)" };
        var output = new Option<string>("--out") { Description = "Output JSONL file", Required = true };
        var maxNodes = new Option<int>("--max-nodes") { Description = "Stream-of-Search node budget per trace; problems that need more are dropped and counted (default: keep every problem)", DefaultValueFactory = _ => DemonstratorConfig.DefaultMaxNodes };
        var demos = f.Make("demos", "Write demonstration traces (TRL prompt/completion JSONL)", ctx =>
        {
            var e = EnvironmentRegistry.Default.Get(ctx.Get(env)!);
            var s = ParseStyle(ctx.Get(style)!);
            int n = ctx.Get(count);
            if (n < 1 || n > 10_000_000) throw new UsageException("--count must be in 1..10000000");
            int d = ctx.Get(difficulty) ?? e.Difficulty.Default;
            e.Difficulty.Check(d);
            string path = ctx.Get(output)!;
            if (ctx.Get(maxNodes) < 1) throw new UsageException("--max-nodes must be >= 1");
            var demonstrator = new Demonstrator(new DemonstratorConfig(MaxNodes: ctx.Get(maxNodes)));
            var rows = new List<(PromptCompletion, JsonObject?)>(n);
            int skipped = 0;
            ulong seed = ctx.Seed;
            var rng = new Rng(StableHash.Mix(seed ^ 0xDE40UL));
            long totalChars = 0;
            ctx.WithProgress("demos", progress =>
            {
                for (ulong i = 0; rows.Count < n; i++)
                {
                    if (i > (ulong)n * 20 + 1000) throw new InvalidOperationException($"only {rows.Count} of {n} problems could be demonstrated");
                    var problem = e.Sample(HeldOutSplit.TrainingSeed(seed, i), d);
                    var row = demonstrator.Demonstrate(e, problem, s, ref rng);
                    if (row is null) { skipped++; continue; }
                    totalChars += row.Completion.Length;
                    rows.Add((row, new JsonObject
                    {
                        ["id"] = problem.Id,
                        ["style"] = StyleName(s),
                        ["problem"] = JsonNode.Parse(problem.ToRecord().ToJson()),
                    }));
                    progress((double)rows.Count / n);
                }
                return 0;
            });
            JsonlDataset.Write(path, rows);
            if (ctx.Json)
                ctx.Out.WriteLine(JsonSerializer.Serialize(new { env = e.Name, style = StyleName(s), rows = rows.Count, skipped, max_nodes = ctx.Get(maxNodes), difficulty = d, mean_completion_chars = (double)totalChars / rows.Count, path }));
            else
                ctx.Out.WriteLine($"demos: wrote {rows.Count} {StyleName(s)} rows for {e.Name} (difficulty {d}) to {path}; dropped {skipped} problems whose search needs more than {ctx.Get(maxNodes)} nodes; mean completion {totalChars / rows.Count} chars");
            return ExitCodes.Ok;
        }, env, style, count, difficulty, output, maxNodes);
        return f.Group("data", "Build datasets: demonstrations, and training data exported from search runs", demos, Export(f), Import(f));
    }

    /// <summary>Parses a <c>--style</c> value.</summary>
    public static DemoStyle ParseStyle(string s) => s.ToLowerInvariant() switch
    {
        "sos" or "sos-dfs" or "dfs" => DemoStyle.SosDfs,
        "sos-bfs" or "bfs" => DemoStyle.SosBfs,
        "optimal" => DemoStyle.Optimal,
        "human" => DemoStyle.Human,
        _ => throw new UsageException($"unknown --style '{s}'; use sos, sos-bfs, optimal or human"),
    };

    private static string StyleName(DemoStyle s) => s switch
    {
        DemoStyle.SosDfs => "sos",
        DemoStyle.SosBfs => "sos-bfs",
        DemoStyle.Optimal => "optimal",
        _ => "human",
    };
}
