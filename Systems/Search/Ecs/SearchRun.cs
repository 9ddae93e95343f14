using Sim.Agents.Scoring;
using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// The world resource the search systems share: the environment, the policy, the reward model, the problem source,
/// and the metrics. The agents themselves are entities (<see cref="AgentQuery.Agents"/>), not a list here. Made by
/// <see cref="SearchPipeline.Build"/>.
/// </summary>
public sealed class SearchRun
{
    /// <summary>Makes a run.</summary>
    public SearchRun(IEnvironment env, IPolicy policy, INodeScorer? scorer, ulong seed, Func<int, int, EpisodeTask?> nextProblem)
    {
        Env = env;
        Policy = policy;
        Scorer = scorer;
        Seed = seed;
        NextProblem = nextProblem;
    }

    /// <summary>The environment every task comes from.</summary>
    public IEnvironment Env { get; }

    /// <summary>The policy all agents share (called once per tick per distinct K, for every agent at once).</summary>
    public IPolicy Policy { get; }

    /// <summary>The reward model, or null when no algorithm uses one.</summary>
    public INodeScorer? Scorer { get; }

    /// <summary>The policy's self-evaluator, for <see cref="Guidance.SelfEval"/>; null when no algorithm uses one.</summary>
    public ISelfEvaluator? SelfEvaluator { get; init; }

    /// <summary>The run's seed: the policy's call seed and the root of every episode seed.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// Gives an agent its next task (given the agent's index and its episode number, from 0), or null when it has no
    /// more: the agent then stays idle. A task may carry its own budget. Called from the spawn and episodes stages, on
    /// one thread, in agent order, unless <see cref="ParallelNextProblem"/>.
    /// </summary>
    public Func<int, int, EpisodeTask?> NextProblem { get; }

    /// <summary>
    /// True when <see cref="NextProblem"/> depends only on its arguments and is thread-safe: <c>search.select</c> then
    /// calls it on every core (problem generation is the main cost of starting an episode). False (the default): it is
    /// called on one thread, in agent order.
    /// </summary>
    public bool ParallelNextProblem { get; init; }

    /// <summary>The memoized verdicts of the run's problems.</summary>
    public VerdictCache Verdicts { get; } = new();

    /// <summary>Agents in the run (entities made by <see cref="SearchPipeline.Build"/>).</summary>
    public int AgentCount { get; internal set; }

    /// <summary>Trajectories longer than this many lines end as wrong (a guard against runaway chains).</summary>
    public int MaxDepth { get; internal set; } = 32;

    /// <summary>How reports name the search's signal (the first agent's <see cref="SearchAlgorithm.SignalName"/>).</summary>
    public string SignalName { get; internal set; } = "";

    /// <summary>True once <see cref="SearchRecording.AddTo"/> has made the run record its agents' trees and episodes.</summary>
    public bool Recorded { get; internal set; }

    // This tick's tree records, per slice of agents, when the run is recorded.
    internal ReplayRanges? ReplayRecords;

    /// <summary>What the run has done.</summary>
    public SearchMetrics Metrics { get; } = new();

    /// <summary>Agents still working on a task.</summary>
    public int Active { get; internal set; }
}
