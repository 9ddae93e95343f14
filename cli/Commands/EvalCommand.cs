using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sim.Agents.Evaluation;
using Sim.Agents.Training;
using Sim.Environments;
using Sim.Systems.Search;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim eval --policy P --env E --k 1,8,32 [--difficulty D] [--problems N] [--max-depth L]</c>: a policy on the
/// held-out problems of <c>--seed</c> (<see cref="HeldOutSplit"/>, disjoint from the seeds of training problems):
/// pass@k (unbiased estimator) and maj@k for each k from max(k) attempts per problem, and the mean tokens and lines of
/// an attempt (<see cref="SampleEval"/>).
/// </summary>
public static class EvalCommand
{
    /// <summary>The most attempts per problem (the largest k).</summary>
    public const int MaxK = 65_536;

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var env = new Option<string>("--env") { Description = "Environment name", DefaultValueFactory = _ => "countdown" };
        var policy = new Option<string>("--policy") { Description = "Policy spec (see sim run --policy)", DefaultValueFactory = _ => RunCommand.DefaultPolicy };
        var ks = new Option<string>("--k") { Description = "Comma-separated k of pass@k and maj@k; each problem gets max(k) attempts", DefaultValueFactory = _ => "1,8,32" };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty (default: the environment's default)" };
        var problems = new Option<int>("--problems") { Description = "Held-out problems", DefaultValueFactory = _ => 200 };
        var maxDepth = new Option<int>("--max-depth") { Description = "Lines per attempt before it ends unanswered", DefaultValueFactory = _ => 32 };
        return f.Make("eval", "pass@k, maj@k and tokens per attempt of a policy on held-out problems (disjoint from training seeds)", ctx =>
        {
            var e = EnvironmentRegistry.Default.Get(ctx.Get(env)!);
            int d = ctx.Get(difficulty) ?? e.Difficulty.Default;
            e.Difficulty.Check(d);
            var k = ParseKs(ctx.Get(ks)!);
            int n = ctx.Get(problems), depth = ctx.Get(maxDepth);
            if (n < 1 || n > 100_000) throw new UsageException("--problems must be in 1..100000");
            if (depth < 1 || depth > 4096) throw new UsageException("--max-depth must be in 1..4096");
            var split = HeldOutSplit.Problems(e, d, n, ctx.Seed);
            var spec = new SampleEvalSpec(e, split, PolicySpec.Parse(ctx.Get(policy)!), k, ctx.Seed, depth);
            var sw = Stopwatch.StartNew();
            var r = ctx.WithProgress($"evaluating {ctx.Get(policy)} on {e.Name}", progress => SampleEval.Run(spec, progress));
            double secs = sw.Elapsed.TotalSeconds;
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    env = e.Name, difficulty = d, policy = ctx.Get(policy), seed = ctx.Seed, problems = r.Problems,
                    samples_per_problem = r.SamplesPerProblem, max_depth = depth,
                    pass_at_k = r.PassAtK.ToDictionary(p => p.K.ToString(CultureInfo.InvariantCulture), p => p.Pass),
                    maj_at_k = r.MajorityAtK.ToDictionary(p => p.K.ToString(CultureInfo.InvariantCulture), p => p.Majority),
                    mean_tokens = r.MeanTokens, mean_lines = r.MeanLines, seconds = secs,
                }));
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine($"sim eval: {ctx.Get(policy)} on {e.Name} d{d}, {r.Problems} held-out problems x {r.SamplesPerProblem} attempts, seed {ctx.Seed} ({secs:F1} s)");
            var table = new Table().AddColumns("k", "pass@k", "maj@k");
            for (int i = 0; i < r.PassAtK.Count; i++)
                table.AddRow(r.PassAtK[i].K.ToString(CultureInfo.InvariantCulture), r.PassAtK[i].Pass.ToString("F3", CultureInfo.InvariantCulture),
                    r.MajorityAtK[i].Majority.ToString("F3", CultureInfo.InvariantCulture));
            ctx.Console.Write(table);
            ctx.Out.WriteLine($"per attempt: {r.MeanTokens:F1} tokens, {r.MeanLines:F2} lines");
            return ExitCodes.Ok;
        }, env, policy, ks, difficulty, problems, maxDepth);
    }

    /// <summary>Parses <c>--k</c>: comma-separated integers in 1..<see cref="MaxK"/>, returned distinct and ascending.</summary>
    public static int[] ParseKs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var ks = new SortedSet<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int k))
                throw new UsageException($"--k must be comma-separated whole numbers (e.g. 1,8,32), not '{text}'");
            if (k < 1 || k > MaxK) throw new UsageException($"--k values must be in 1..{MaxK}, not {k}");
            ks.Add(k);
        }
        return ks.ToArray();
    }
}
