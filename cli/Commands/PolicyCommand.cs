using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sim.Environments;
using Sim.Systems.Search;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim policy profile [--env countdown] [--policy P] [--difficulty D] [--problems 200] [--samples 1024]</c>: how a
/// policy behaves on its own, before search: pass@k for k = 1 … samples (unbiased estimator), the exponentiated power
/// law fitted to it (a, b, R²), and the kinds of mistakes it makes (<see cref="PolicyProfile"/>).
/// </summary>
public static class PolicyCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(CommandFactory f) =>
        f.Group("policy", "Policies on their own: profile how one behaves before trusting an experiment on it", Profile(f));

    private static Command Profile(CommandFactory f)
    {
        var env = new Option<string>("--env") { Description = "Environment name", DefaultValueFactory = _ => "countdown" };
        var policy = new Option<string>("--policy") { Description = "Policy spec (see sim run --policy)", DefaultValueFactory = _ => RunCommand.DefaultPolicy };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty (default: the environment's default)" };
        var problems = new Option<int>("--problems") { Description = "Problems sampled", DefaultValueFactory = _ => 200 };
        var samples = new Option<int>("--samples") { Description = "Independent attempts per problem (pass@k up to k = samples)", DefaultValueFactory = _ => 1024 };
        var maxDepth = new Option<int>("--max-depth") { Description = "Lines per attempt before it ends unanswered", DefaultValueFactory = _ => 32 };
        return f.Make("profile", "pass@k (k = 1 … samples), its fitted exponentiated power law, and the policy's mistakes by kind", ctx =>
        {
            var e = EnvironmentRegistry.Default.Get(ctx.Get(env)!);
            int d = ctx.Get(difficulty) ?? e.Difficulty.Default;
            int n = ctx.Get(problems), s = ctx.Get(samples), depth = ctx.Get(maxDepth);
            if (n < 1 || n > 100_000) throw new UsageException("--problems must be in 1..100000");
            if (s < 1 || s > 65_536) throw new UsageException("--samples must be in 1..65536");
            if (depth < 1 || depth > 4096) throw new UsageException("--max-depth must be in 1..4096");
            var spec = new PolicyProfileSpec(e, d, PolicySpec.Parse(ctx.Get(policy)!), n, s, ctx.Seed, depth);
            var sw = Stopwatch.StartNew();
            var r = ctx.WithProgress($"profiling {ctx.Get(policy)} on {e.Name}", progress => PolicyProfile.Run(spec, progress));
            double secs = sw.Elapsed.TotalSeconds;
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    env = e.Name, difficulty = d, policy = ctx.Get(policy), problems = n, samples = s, seed = ctx.Seed,
                    pass_at_k = r.PassAtK.Select(p => new { k = p.K, pass = p.Pass }),
                    fit = new { form = "pass@k = exp(a * k^b)", a = Finite(r.FitA), b = Finite(r.FitB), r2 = Finite(r.FitR2) },
                    mean_problem_skill = r.MeanProblemSkill, unsolved_share = r.UnsolvedShare,
                    errors = new { first = r.FirstErrors, all = r.AllErrors },
                    seconds = secs,
                }));
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine($"sim policy profile: {ctx.Get(policy)} on {e.Name} d{d}, {n} problems x {s} attempts, seed {ctx.Seed} ({secs:F1} s)");
            var pass = new Table().AddColumns("k", "pass@k");
            foreach (var (k, p) in r.PassAtK) pass.AddRow(k.ToString(), p.ToString("F3"));
            ctx.Console.Write(pass);
            ctx.Out.WriteLine($"fit: pass@k = exp({r.FitA:F3} * k^{r.FitB:F3}), R² = {r.FitR2:F3}; mean per-problem success {r.MeanProblemSkill:F3}; unsolved by all {s}: {r.UnsolvedShare:P1}");
            var errors = new Table().AddColumns("mistake", "share of first mistakes", "share of all mistakes");
            foreach (var kind in PolicyProfile.ErrorKinds) errors.AddRow(kind, r.FirstErrors[kind].ToString("P1"), r.AllErrors[kind].ToString("P1"));
            ctx.Console.Write(errors);
            return ExitCodes.Ok;
        }, env, policy, difficulty, problems, samples, maxDepth);
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;
}
