using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sim.Environments;
using Sim.Systems.Search;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim scale --env NAME --policy SPEC --search bon,vote,beam,mcts,revise --budget 1,2,4,...,256 [--problems N]
/// [--json] [--plot out.png]</c>: a test-time scaling sweep. Every algorithm runs at every attempt budget B on the same
/// problems and seeds; prints accuracy with its 95% Wilson interval against mean compute, and draws the curves.
/// </summary>
public static class ScaleCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var env = new Option<string>("--env") { Description = "Environment name", DefaultValueFactory = _ => "countdown" };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty (default: the environment's default)" };
        var policy = new Option<string>("--policy") { Description = "Policy spec, e.g. simulated:skill=0.3", DefaultValueFactory = _ => "simulated" };
        var search = new Option<string>("--search") { Description = "Comma-separated searches: bon, vote, beam, mcts, mcts-rollout, revise, hybrid", DefaultValueFactory = _ => "bon,vote,beam,mcts,revise" };
        var budget = new Option<string>("--budget") { Description = "Comma-separated attempt budgets B (B reference attempts' worth of compute per problem)", DefaultValueFactory = _ => "1,2,4,8,16,32" };
        var unit = new Option<string>("--unit") { Description = "Unit the budget is enforced in: policy_calls or tokens", DefaultValueFactory = _ => "policy_calls" };
        var problems = new Option<int>("--problems") { Description = "Problems per point (one agent each)", DefaultValueFactory = _ => 200 };
        var problemsFile = new Option<string?>("--problems-file") { Description = "Search these problems (reasoning-gym rows, see 'sim data import') instead of sampled ones" };
        var guidance = new Option<string?>("--guidance") { Description = "confidence, self-eval, verifier, oracle or rm, for every search (default per search)" };
        var selfEval = new Option<string>("--self-eval") { Description = "Self-evaluator for self-eval guidance: simulated[:error=E,tokens=T], transformer[:line], or auto", DefaultValueFactory = _ => "auto" };
        var rm = new Option<string>("--rm") { Description = "Reward model for rm guidance: simulated[:noise=S,bias=B,shrink=D] or a 'sim train rm' directory", DefaultValueFactory = _ => "simulated" };
        var plot = new Option<string?>("--plot") { Description = "Write the scaling plot to this PNG file" };
        var prmAgg = new Option<string?>("--prm-agg") { Description = "Score trajectories by their step scores combined with min, prod, mean or last (a PRM), in bon, vote and beam; default: the answer's score (an ORM), min for beam" };
        var select = new Option<string>("--select") { Description = "How bon turns scored samples into one answer: best or weighted-vote", DefaultValueFactory = _ => "best" };
        return f.Make("scale", "Test-time scaling sweep: accuracy against compute for each search at each budget", ctx =>
        {
            var environment = EnvironmentRegistry.Default.Get(ctx.Get(env)!);
            int level = ctx.Get(difficulty) ?? environment.Difficulty.Default;
            environment.Difficulty.Check(level);
            var names = ctx.Get(search)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToList();
            if (names.Count == 0) throw new UsageException("--search lists no algorithm");
            foreach (var s in names)
                if (!SearchAlgorithms.Names.Contains(s)) throw new UsageException($"unknown search '{s}'; known: {string.Join(", ", SearchAlgorithms.Names)}");
            var budgets = ParseBudgets(ctx.Get(budget)!);
            var budgetUnit = Budget.ParseUnit(ctx.Get(unit)!);
            if (budgetUnit is not (BudgetUnit.PolicyCalls or BudgetUnit.Tokens)) throw new UsageException("--unit must be policy_calls or tokens");
            int count = ctx.Get(problems);
            if (count < 1 || count > 100_000) throw new UsageException("--problems must be in 1..100000");
            Guidance? g = ctx.Get(guidance) is { } gs ? SearchAlgorithms.ParseGuidance(gs) : null;
            ScoreAggregation? agg = ctx.Get(prmAgg) is { } a ? SearchAlgorithms.ParseAggregation(a) : null;
            string sel = ctx.Get(select)!.Trim().ToLowerInvariant();
            if (!SearchAlgorithms.Selections.Contains(sel)) throw new UsageException($"unknown --select '{sel}'; known: {string.Join(", ", SearchAlgorithms.Selections)}");
            string? plotPath = ctx.Get(plot);
            if (plotPath is not null && !plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--plot must name a .png file");
            string policySpec = ctx.Get(policy)!;
            var pol = PolicySpec.Parse(policySpec);
            var scorer = ScorerSpec.Parse(ctx.Get(rm)!, ctx.Seed, environment.Name, policySpec, g == Guidance.RewardModel ? ctx.Err.WriteLine : null);
            var selfEvaluator = g == Guidance.SelfEval ? SelfEvalSpec.Parse(ctx.Get(selfEval)!, pol) : null;

            List<Problem> set;
            if (ctx.Get(problemsFile) is { } setPath)
            {
                var bad = new List<string>();
                set = DataCommand.LoadProblemSet(setPath, environment.Name, bad);
                if (bad.Count > 0) throw new InvalidDataException($"--problems-file: {bad.Count} rows do not load (first: {bad[0]}); check them with 'sim data import'");
                if (set.Count == 0) throw new InvalidDataException("--problems-file holds no problem");
            }
            else set = SearchExperiment.SampleProblems(environment, count, level, ctx.Seed);
            var results = new List<ExperimentResult>();
            int total = names.Count * budgets.Count, done = 0;
            ctx.WithProgress("scaling sweep", progress =>
            {
                foreach (var s in names)
                {
                    foreach (int b in budgets)
                    {
                        results.Add(SearchExperiment.Run(new ExperimentSpec(environment, pol, scorer, s, b, g, budgetUnit, set, ctx.Seed, SelfEvaluator: selfEvaluator,
                            // --prm-agg reaches the searches that rank by aggregated scores, --select only best-of-N.
                            Aggregation: s is "bon" or "vote" or "beam" ? agg : null, Select: s == "bon" ? sel : "best"),
                            p => progress((done + p) / total)));
                        progress(++done / (double)total);
                    }
                }
                return 0;
            });
            if (plotPath is not null)
                ScalePlot.SavePng(results, BudgetUnit.Tokens, $"{environment.Name} d{level}, {policySpec}, {set.Count} problems", plotPath);

            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    env = environment.Name, difficulty = level, policy = policySpec, problems = set.Count, problems_file = ctx.Get(problemsFile), seed = ctx.Seed,
                    unit = Budget.UnitName(budgetUnit), plot = plotPath, self_eval = selfEvaluator is null ? null : ctx.Get(selfEval),
                    prm_agg = agg?.ToString().ToLowerInvariant(), select = sel,
                    results = results.Select(r => new
                    {
                        search = r.Search, budget = r.Scale, guidance = r.Signal,
                        accuracy = r.Accuracy.Rate, ci_low = r.Accuracy.Low, ci_high = r.Accuracy.High, solved = r.Accuracy.Successes,
                        tokens = r.Mean(BudgetUnit.Tokens), policy_calls = r.Mean(BudgetUnit.PolicyCalls),
                        verifier_calls = r.Mean(BudgetUnit.VerifierCalls), rm_calls = r.Mean(BudgetUnit.RewardModelCalls),
                        mean_reward = r.MeanReward, mean_gold_reward = double.IsNaN(r.MeanGold) ? (double?)null : r.MeanGold,
                        ticks = r.Ticks, seconds = r.Seconds,
                    }),
                }));
                return ExitCodes.Ok;
            }
            ctx.Out.WriteLine($"sim scale: {environment.Name} d{level}, policy {policySpec}, {set.Count} problems, seed {ctx.Seed}, budget in {Budget.UnitName(budgetUnit)} (B reference attempts)");
            // Proxy-rewarded environments (the judge) get two more columns: the judge's mean score and the gold quality.
            bool proxy = results.Any(r => !double.IsNaN(r.MeanGold));
            var table = new Table().AddColumns("search", "guidance", "B", "accuracy", "95% CI", "tokens", "lines", "verifier", "rm", "s");
            if (proxy) table.AddColumns("reward", "gold");
            foreach (var r in results)
            {
                var cells = new List<string>
                {
                    r.Search, r.Signal, r.Scale.ToString(), $"{r.Accuracy.Rate:P1}",
                    Markup.Escape($"[{r.Accuracy.Low:P1}, {r.Accuracy.High:P1}]"), r.Mean(BudgetUnit.Tokens).ToString("F1"),
                    r.Mean(BudgetUnit.PolicyCalls).ToString("F1"), r.Mean(BudgetUnit.VerifierCalls).ToString("F1"),
                    r.Mean(BudgetUnit.RewardModelCalls).ToString("F1"), r.Seconds.ToString("F2"),
                };
                if (proxy) cells.AddRange([r.MeanReward.ToString("F3"), double.IsNaN(r.MeanGold) ? "-" : r.MeanGold.ToString("F3")]);
                table.AddRow(cells.ToArray());
            }
            ctx.Console.Profile.Width = Math.Max(ctx.Console.Profile.Width, 160); // tables are read in logs, not terminals
            ctx.Console.Write(table);
            if (plotPath is not null) ctx.Out.WriteLine($"plot: {plotPath}");
            return ExitCodes.Ok;
        }, env, difficulty, policy, search, budget, unit, problems, guidance, rm, plot, selfEval, prmAgg, select, problemsFile);
    }

    private static List<int> ParseBudgets(string text)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int b) || b < 1 || b > 4096)
                throw new UsageException($"--budget: '{part}' must be an integer in 1..4096");
            list.Add(b);
        }
        if (list.Count == 0) throw new UsageException("--budget lists no budget");
        return list.Distinct().OrderBy(b => b).ToList();
    }
}
