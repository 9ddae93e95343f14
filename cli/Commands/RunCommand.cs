using Sim.Agents.Policies;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sim.Engine;
using Sim.Environments;
using Sim.Replay;
using Sim.Systems;
using Sim.Systems.Search;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim run [--env countdown] [--policy simulated:skill=0.3] [--search mcts] [--agents 256] [--ticks 200] [--budget attempts:2]
/// [--guidance verifier] [--out run.replay]</c>: the main job. Agents solve sampled problems one after another with a
/// search algorithm, all batched through the tick pipeline; prints a summary (solve rate with its 95% interval, compute
/// spent, steps/s), or JSON with <c>--json</c>. With no flags it runs a sensible embedded experiment.
/// </summary>
public static class RunCommand
{
    /// <summary>
    /// The embedded experiment's policy: a weak one (an attempt succeeds 30% of the time), so that with
    /// <see cref="DefaultBudget"/> verifier-guided MCTS solves about 48% of problems (problems differ in difficulty), an informative summary (the
    /// default policy with 8 attempts solved 100%, which says nothing).
    /// </summary>
    public const string DefaultPolicy = "simulated:skill=0.3";

    /// <summary>The embedded experiment's budget: two reference attempts' worth of lines per problem.</summary>
    public const string DefaultBudget = "attempts:2";

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var env = new Option<string>("--env") { Description = "Environment name", DefaultValueFactory = _ => "countdown" };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty (default: the environment's default)" };
        var policy = new Option<string>("--policy") { Description = "Policy: simulated[:skill=P,eps=E,repeat=R,concentration=C,calibration=over|under,...]", DefaultValueFactory = _ => DefaultPolicy };
        var search = new Option<string>("--search") { Description = "Search: bon, vote, beam, mcts, mcts-rollout, revise or hybrid", DefaultValueFactory = _ => "mcts" };
        var guidance = new Option<string?>("--guidance") { Description = "confidence or self-eval (internal), verifier, oracle or rm (external); default per search" };
        var selfEval = new Option<string>("--self-eval") { Description = "Self-evaluator for self-eval guidance: simulated[:error=E,tokens=T], transformer[:line], or auto", DefaultValueFactory = _ => "auto" };
        var agents = new Option<int>("--agents") { Description = "Agents working at once", DefaultValueFactory = _ => 256 };
        var ticks = new Option<int>("--ticks") { Description = "Ticks to run", DefaultValueFactory = _ => 200 };
        var budget = new Option<string>("--budget") { Description = "Per-episode budget: attempts:B, or UNIT:LIMIT with UNIT tokens, policy_calls, rm_calls, verifier_calls, wall_ms", DefaultValueFactory = _ => DefaultBudget };
        var rm = new Option<string>("--rm") { Description = "Reward model for rm guidance: simulated[:noise=S,bias=B,shrink=D] or a 'sim train rm' directory", DefaultValueFactory = _ => "simulated" };
        var maxDepth = new Option<int>("--max-depth") { Description = "Longest trajectory, in lines", DefaultValueFactory = _ => 32 };
        var output = new Option<string?>("--out") { Description = "Record the run to this replay file (agents, ledgers, search trees, episodes, metrics)" };
        var prmAgg = new Option<string?>("--prm-agg") { Description = "Score trajectories by their step scores combined with min, prod, mean or last (a PRM), in bon, vote and beam" };
        var select = new Option<string>("--select") { Description = "How bon turns scored samples into one answer: best or weighted-vote", DefaultValueFactory = _ => "best" };
        var plugins = new Option<string[]>("--plugin") { Description = "Add the systems of a compiled assembly (public ISystem types marked [RunsIn(\"stage\")]); repeatable", AllowMultipleArgumentsPerToken = false };
        return f.Make("run", "Run agents that search for solutions, batched across agents, and print a summary", ctx =>
        {
            int n = ctx.Get(agents), t = ctx.Get(ticks), depth = ctx.Get(maxDepth);
            if (n < 1 || n > 1_000_000) throw new UsageException("--agents must be in 1..1000000");
            if (t < 1) throw new UsageException("--ticks must be >= 1");
            if (depth < 1 || depth > 4096) throw new UsageException("--max-depth must be in 1..4096");
            var environment = EnvironmentRegistry.Default.Get(ctx.Get(env)!);
            int level = ctx.Get(difficulty) ?? environment.Difficulty.Default;
            string name = ctx.Get(search)!.Trim().ToLowerInvariant();
            if (!SearchAlgorithms.Names.Contains(name)) throw new UsageException($"unknown search '{name}'; known: {string.Join(", ", SearchAlgorithms.Names)}");
            Guidance? g = ctx.Get(guidance) is { } gs ? SearchAlgorithms.ParseGuidance(gs) : null;
            var pol = PolicySpec.Parse(ctx.Get(policy)!);
            var selfEvaluator = g == Guidance.SelfEval ? SelfEvalSpec.Parse(ctx.Get(selfEval)!, pol) : null;
            ScoreAggregation? agg = ctx.Get(prmAgg) is { } a ? SearchAlgorithms.ParseAggregation(a) : null;
            var spec = new ContinuousRunSpec(environment, level, pol, ScorerSpec.Parse(ctx.Get(rm)!, ctx.Seed, environment.Name, ctx.Get(policy), g == Guidance.RewardModel ? ctx.Err.WriteLine : null),
                name, g, n, RunBudget.Parse(ctx.Get(budget)!), ctx.Seed, depth, selfEvaluator, agg, ctx.Get(select)!);

            using var world = World.Create(ctx.Seed);
            var pipeline = ContinuousRun.Build(world, spec);
            var plugged = new List<string>();
            foreach (var file in ctx.Get(plugins) ?? [])
                foreach (var (stage, system) in SystemPlugins.Load(file))
                {
                    pipeline.Add(stage, system);
                    plugged.Add($"{system.Name}@{stage}");
                }
            if (ctx.Profile) pipeline.EnableProfiling();
            string? path = ctx.Get(output);
            using var writer = path is null ? null : ReplayWriter.Create(path, SearchRecording.Header(spec, t, VersionCommand.CodeVersion));
            if (writer is not null) SearchRecording.AddTo(pipeline, writer);
            var sw = Stopwatch.StartNew();
            ctx.WithProgress($"{name} on {environment.Name}", progress => { pipeline.Run(t, progress); return 0; });
            writer?.Dispose(); // writes the footer; the replay is complete from here on
            sw.Stop();
            var run = world.Resources.Get<SearchRun>();
            var m = run.Metrics;
            var rate = new Proportion(m.Solved, m.Episodes);
            double secs = Math.Max(1e-9, sw.Elapsed.TotalSeconds);
            double episodes = Math.Max(1, m.Episodes);
            string guidanceName = run.SignalName;
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    env = environment.Name, difficulty = level, policy = ctx.Get(policy), search = name, guidance = guidanceName,
                    agents = n, ticks = t, seed = ctx.Seed, budget = spec.Budget.ToString(), self_eval = selfEvaluator is null ? null : ctx.Get(selfEval),
                    self_evaluations_per_episode = m.SelfEvaluations / episodes,
                    episodes = m.Episodes, solved = m.Solved, answered = m.Answered,
                    solve_rate = rate.Rate, solve_rate_low = rate.Low, solve_rate_high = rate.High,
                    mean_reward = m.MeanReward, mean_gold_reward = double.IsNaN(m.MeanGold) ? (double?)null : m.MeanGold,
                    tokens_per_episode = m.Spent.Tokens / episodes, policy_calls_per_episode = m.Spent.PolicyCalls / episodes,
                    verifier_calls_per_episode = m.Spent.VerifierCalls / episodes, rm_calls_per_episode = m.Spent.RewardModelCalls / episodes,
                    steps_per_s = m.Proposals / secs, expansions_per_s = m.Expansions / secs, ticks_per_s = t / secs, seconds = secs,
                    state_hash = world.StateHash().ToString("x16"), replay = path, plugins = plugged,
                    environment_errors = m.EnvironmentErrors, faulted_episodes = m.FaultedEpisodes, first_environment_error = m.FirstEnvironmentError,
                    slow_verifier = SlowVerifier(environment),
                    policy_errors = pol is OpenAIPolicy hp ? hp.Errors : 0, first_policy_error = (pol as OpenAIPolicy)?.FirstError,
                }));
                return Faults(ctx, m, pol);
            }
            ctx.Out.WriteLine($"sim run: {name} ({guidanceName}) on {environment.Name} d{level}, policy {ctx.Get(policy)}, {n} agents, {t} ticks, budget {spec.Budget}, seed {ctx.Seed}");
            if (plugged.Count > 0) ctx.Out.WriteLine($"plug-in systems: {string.Join(", ", plugged)}");
            var table = new Table().AddColumns("metric", "value");
            table.AddRow("episodes finished", m.Episodes.ToString());
            table.AddRow("solve rate (95% CI)", Markup.Escape(m.Episodes > 0 ? $"{rate.Rate:P1} [{rate.Low:P1}, {rate.High:P1}]" : "-"));
            table.AddRow("mean outcome reward", m.MeanReward.ToString("F3"));
            // Proxy-rewarded environments (the judge) also report the gold quality of what the proxy accepted.
            if (!double.IsNaN(m.MeanGold)) table.AddRow("mean gold reward (proxy-rewarded env)", m.MeanGold.ToString("F3"));
            table.AddRow("tokens / episode", (m.Spent.Tokens / episodes).ToString("F1"));
            table.AddRow("policy calls / episode", (m.Spent.PolicyCalls / episodes).ToString("F1"));
            table.AddRow("verifier calls / episode", (m.Spent.VerifierCalls / episodes).ToString("F1"));
            table.AddRow("rm calls / episode", (m.Spent.RewardModelCalls / episodes).ToString("F1"));
            if (selfEvaluator is not null) table.AddRow("self-evaluations / episode (in policy calls)", (m.SelfEvaluations / episodes).ToString("F1"));
            table.AddRow("steps/s (policy lines)", (m.Proposals / secs).ToString("N0"));
            table.AddRow("expansions/s (tree nodes)", (m.Expansions / secs).ToString("N0"));
            table.AddRow("ticks/s", (t / secs).ToString("F1"));
            table.AddRow("wall time", $"{secs:F2} s");
            if (m.EnvironmentErrors > 0) table.AddRow("environment errors (faulted episodes)", $"{m.EnvironmentErrors} ({m.FaultedEpisodes})");
            if (SlowVerifier(environment) is { } slow) table.AddRow("[yellow]warning[/]", Markup.Escape(slow));
            ctx.Console.Profile.Width = Math.Max(ctx.Console.Profile.Width, 160); // tables are read in logs, not terminals
            ctx.Console.Write(table);
            if (path is not null) ctx.Out.WriteLine($"replay written to {path} ({new FileInfo(path).Length} bytes); view it with 'sim view {path}'");
            if (ctx.Profile)
            {
                var prof = new Table().AddColumns("system", "total ms", "µs/tick");
                foreach (var p in pipeline.Profiler!.Entries()) prof.AddRow(Markup.Escape(p.Path), p.TotalMs.ToString("F2"), p.MeanUsPerTick.ToString("F1"));
                ctx.Console.Write(prof);
            }
            return Faults(ctx, m, pol);
        }, env, difficulty, policy, search, guidance, agents, ticks, budget, rm, maxDepth, output, selfEval, plugins, prmAgg, select);
    }

    /// <summary>A warning when the environment's verifier went over its per-call time limit in sampled calls, else null.</summary>
    internal static string? SlowVerifier(IEnvironment env)
    {
        if (env is not ITimedEnvironment t || t.Timings.SlowCalls == 0) return null;
        var v = t.Timings;
        return $"{v.SlowCalls} of {v.TimedCalls} sampled verifier calls of '{env.Name}' took over {v.LimitMs:0} ms (slowest {v.SlowestMs:0} ms)";
    }

    /// <summary>
    /// Exit 3 when an environment failed during the run (its verdicts were <c>EnvironmentError</c>): the run went on and
    /// everything was recorded; the message names the first failure.
    /// </summary>
    internal static int Faults(CliContext ctx, SearchMetrics m, IPolicy policy)
    {
        int code = ExitCodes.Ok;
        if (policy is OpenAIPolicy { WithoutLogProbs: > 0 } quiet)
            ctx.Err.WriteLine($"warning: the server returned no log-probabilities for {quiet.WithoutLogProbs} lines; their confidence is 1, so confidence guidance cannot rank them");
        if (policy is OpenAIPolicy http && http.Errors > 0)
        {
            // The server's failures became empty lines (rejected steps): the run went on and everything was recorded.
            ctx.Err.WriteLine($"error: {http.Errors} policy requests failed (their lines are empty, rejected steps); the first: {http.FirstError}");
            code = ExitCodes.EnvironmentFailed;
        }
        if (m.EnvironmentErrors == 0) return code;
        ctx.Err.WriteLine($"error: {m.EnvironmentErrors} verdicts in {m.FaultedEpisodes} episodes were environment failures; the first: {m.FirstEnvironmentError}");
        return ExitCodes.EnvironmentFailed;
    }
}
