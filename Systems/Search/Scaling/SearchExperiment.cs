using Sim.Agents.Scoring;
using System.Diagnostics;
using Sim.Agents.Policies;
using Sim.Agents.Tokenization;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>One algorithm at one attempt budget on a fixed problem set.</summary>
/// <param name="Env">The environment.</param>
/// <param name="Policy">The policy every agent uses.</param>
/// <param name="Scorer">The reward model, for <see cref="Guidance.RewardModel"/>; may be null otherwise.</param>
/// <param name="Search">The algorithm's name (<see cref="SearchAlgorithms.Names"/>).</param>
/// <param name="Scale">The attempt budget B: each problem's budget is B times the cost of one reference attempt.</param>
/// <param name="Guidance">The guidance, or null for the algorithm's default.</param>
/// <param name="Unit">The budget's unit: <see cref="BudgetUnit.PolicyCalls"/> (lines) or <see cref="BudgetUnit.Tokens"/>.</param>
/// <param name="Problems">The problems, one agent each.</param>
/// <param name="Seed">The run seed; problem i's episode seed derives from it and i, so every algorithm sees the same draws.</param>
/// <param name="MaxDepth">The trajectory length limit.</param>
/// <param name="SelfEvaluator">The policy's self-evaluator, for <see cref="Guidance.SelfEval"/>.</param>
/// <param name="Aggregation">How step scores combine (<c>--prm-agg</c>), or null for the algorithm's default.</param>
/// <param name="Select">How best-of-N picks its answer (<c>--select</c>: best or weighted-vote).</param>
public sealed record ExperimentSpec(
    IEnvironment Env,
    IPolicy Policy,
    INodeScorer? Scorer,
    string Search,
    int Scale,
    Guidance? Guidance,
    BudgetUnit Unit,
    IReadOnlyList<Problem> Problems,
    ulong Seed,
    int MaxDepth = 32,
    ISelfEvaluator? SelfEvaluator = null,
    ScoreAggregation? Aggregation = null,
    string Select = "best");

/// <summary>What one <see cref="ExperimentSpec"/> gave.</summary>
/// <param name="Search">The algorithm's name.</param>
/// <param name="Scale">The attempt budget B.</param>
/// <param name="Signal">The guidance used, as reports name it (<see cref="SearchAlgorithm.SignalName"/>).</param>
/// <param name="Accuracy">Problems solved, with the Wilson interval.</param>
/// <param name="Total">Compute spent on all problems.</param>
/// <param name="Ticks">Ticks until every agent finished.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Expansions">Tree nodes created.</param>
/// <param name="Proposals">Lines the policy proposed.</param>
/// <param name="MeanReward">Mean outcome reward of the committed answers (the judge's score on <c>judge</c>).</param>
/// <param name="MeanGold">Mean gold reward where the reward is a proxy (the judge); NaN where rewards are exact.</param>
public sealed record ExperimentResult(string Search, int Scale, string Signal, Proportion Accuracy, ComputeLedger Total, long Ticks, double Seconds, long Expansions, long Proposals,
    double MeanReward = 0, double MeanGold = double.NaN)
{
    /// <summary>Mean compute per problem in <paramref name="unit"/>.</summary>
    public double Mean(BudgetUnit unit) => Total.Get(unit) / Math.Max(1, Accuracy.Trials);
}

/// <summary>Runs one algorithm at one budget on a problem set, as a world of agents ticked to completion.</summary>
public static class SearchExperiment
{
    private static readonly SimTokenizer Tokenizer = SimTokenizer.CreateDefault();

    /// <summary>
    /// The cost of one reference attempt at <paramref name="problem"/>: its reference solution's steps plus the answer
    /// line, in lines or in tokens (each line's tokens plus its newline, as the simulated policy counts them).
    /// </summary>
    public static double AttemptCost(IEnvironment env, Problem problem, BudgetUnit unit)
    {
        var solution = env.HasReferenceSolver ? env.Solve(problem) : null;
        var lines = new List<string>();
        if (solution is not null) lines.AddRange(solution.Steps);
        lines.Add(StepProtocol.AnswerPrefix + (solution?.Answer ?? problem.Answer));
        return unit switch
        {
            BudgetUnit.PolicyCalls => lines.Count,
            BudgetUnit.Tokens => lines.Sum(l => Tokenizer.Count(l) + 1),
            _ => throw new ArgumentException($"attempt budgets are in policy_calls or tokens, not {Budget.UnitName(unit)}"),
        };
    }

    /// <summary>Runs the experiment; <paramref name="progress"/> gets the fraction of problems finished.</summary>
    public static ExperimentResult Run(ExperimentSpec spec, Action<double>? progress = null)
    {
        if (spec.Problems.Count == 0) throw new ArgumentException("no problems");
        var factory = SearchAlgorithms.Create(spec.Search, spec.Scale, spec.Guidance, spec.Aggregation, spec.Select);
        var budgets = spec.Problems.Select(p => new Budget(spec.Unit, spec.Scale * AttemptCost(spec.Env, p, spec.Unit))).ToArray();
        var sw = Stopwatch.StartNew();
        using var world = World.Create(spec.Seed);
        var run = new SearchRun(spec.Env, spec.Policy, spec.Scorer, spec.Seed, (agent, episode) =>
        {
            if (episode > 0) return null;
            return new EpisodeTask(spec.Problems[agent], StableHash.Combine(spec.Seed, (ulong)agent), budgets[agent]);
        }) { SelfEvaluator = spec.SelfEvaluator };
        var pipeline = SearchPipeline.Build(world, run, spec.Problems.Count, factory, budgets[0], spec.MaxDepth);
        long ticks = SearchPipeline.RunToCompletion(pipeline, 1_000_000, progress);
        sw.Stop();
        var m = run.Metrics;
        return new ExperimentResult(spec.Search, spec.Scale, run.SignalName, new Proportion(m.Solved, m.Episodes),
            m.Spent, ticks, sw.Elapsed.TotalSeconds, m.Expansions, m.Proposals, m.MeanReward, m.MeanGold);
    }

    /// <summary>Samples <paramref name="count"/> problems at <paramref name="difficulty"/>, seeds derived from <paramref name="seed"/>.</summary>
    public static List<Problem> SampleProblems(IEnvironment env, int count, int difficulty, ulong seed)
    {
        var list = new List<Problem>(count);
        for (int i = 0; i < count; i++) list.Add(env.Sample(StableHash.Combine(seed ^ 0x9B0B1E5UL, (ulong)i), difficulty));
        return list;
    }
}
