using Sim.Agents.Scoring;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>What <c>sim run</c> runs: agents that solve one sampled problem after another.</summary>
/// <param name="Env">The environment.</param>
/// <param name="Difficulty">The difficulty problems are sampled at.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Scorer">The reward model, for reward-model guidance.</param>
/// <param name="Search">The algorithm's name.</param>
/// <param name="Guidance">The guidance, or null for the algorithm's default.</param>
/// <param name="Agents">Agents working at once.</param>
/// <param name="Budget">The per-episode budget.</param>
/// <param name="Seed">The run seed.</param>
/// <param name="MaxDepth">The trajectory length limit.</param>
/// <param name="SelfEvaluator">The policy's self-evaluator, for <see cref="Guidance.SelfEval"/>.</param>
/// <param name="Aggregation">How step scores combine (<c>--prm-agg</c>), or null for the algorithm's default.</param>
/// <param name="Select">How best-of-N picks its answer (<c>--select</c>: best or weighted-vote).</param>
public sealed record ContinuousRunSpec(
    IEnvironment Env,
    int Difficulty,
    IPolicy Policy,
    INodeScorer? Scorer,
    string Search,
    Guidance? Guidance,
    int Agents,
    RunBudget Budget,
    ulong Seed,
    int MaxDepth = 32,
    ISelfEvaluator? SelfEvaluator = null,
    ScoreAggregation? Aggregation = null,
    string Select = "best");

/// <summary>
/// Builds a world of agents that each sample a problem (seeded by the run seed, the agent and its episode number), search
/// it within the budget, commit an answer, and move on to the next problem, for as many ticks as the caller runs.
/// </summary>
public static class ContinuousRun
{
    /// <summary>Builds the world's pipeline; the run is the world's <see cref="SearchRun"/> resource.</summary>
    public static Pipeline Build(World world, ContinuousRunSpec spec)
    {
        spec.Env.Difficulty.Check(spec.Difficulty);
        var factory = SearchAlgorithms.Create(spec.Search, spec.Budget.Scale, spec.Guidance, spec.Aggregation, spec.Select);
        var run = new SearchRun(spec.Env, spec.Policy, spec.Scorer, spec.Seed, (agent, episode) =>
        {
            ulong seed = StableHash.Combine(StableHash.Combine(spec.Seed, (ulong)agent), (ulong)episode);
            var problem = spec.Env.Sample(seed, spec.Difficulty);
            return new EpisodeTask(problem, seed, spec.Budget.For(spec.Env, problem));
        }) { ParallelNextProblem = true, SelfEvaluator = spec.SelfEvaluator };
        return SearchPipeline.Build(world, run, spec.Agents, factory, new Budget(BudgetUnit.PolicyCalls, 1), spec.MaxDepth);
    }
}
