using Sim.Agents.Scoring;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>reward_models</c>: scores every new node of every agent whose algorithm uses a reward model, in one batched call
/// to the run's <see cref="INodeScorer"/>. Each score goes on the agent as a reward component with source
/// <see cref="RewardSource.RewardModel"/>: an <see cref="OutcomeReward"/> for a complete node (an ORM's judgement), a
/// <see cref="ProcessReward"/> for a step (a PRM's); the agent is charged one reward-model call per node and a share of
/// the call's time.
/// </summary>
public sealed class RewardModelSystem : NodeScoringSystem<ScoreRequest, double>
{
    /// <inheritdoc />
    protected override bool Wants(SearchAlgorithm algorithm) => algorithm.UsesRewardModel;

    /// <inheritdoc />
    protected override bool Wants(SearchAgent agent, int node) =>
        agent.Run.Scorer is not null ? true : throw new InvalidOperationException($"{agent.Algorithm.Name} is guided by a reward model, but the run has none");

    /// <inheritdoc />
    protected override ScoreRequest Request(SearchAgent agent, int node, ProcessRewards process, OutcomeRewards outcome)
    {
        var tree = agent.Tree;
        double label = SearchRewards.ExactLabel(tree, node, process, outcome);
        ulong key = StableHash.Combine(StableHash.Combine(agent.EpisodeSeed, 0x52AAUL), (ulong)node);
        return new ScoreRequest(agent.Env, agent.Problem, tree.Lines(node), tree[node].Complete, label, key);
    }

    /// <inheritdoc />
    protected override void Score(SearchRun run, List<ScoreRequest> requests, Span<double> results, long tick)
    {
        run.Scorer!.Score(requests, results);
        run.Metrics.BatchedScorerCalls++;
    }

    /// <inheritdoc />
    protected override void Apply(SearchAgent agent, int node, in double score, double ms, ProcessRewards process, OutcomeRewards outcome)
    {
        if (agent.Tree[node].Complete) outcome.Add(new OutcomeReward(node, score, VerdictKind.Ok, RewardSource.RewardModel));
        else process.Add(new ProcessReward(node, score, VerdictKind.Ok, RewardSource.RewardModel));
        agent.Ledger.RewardModelCalls++;
        agent.Ledger.WallMs += ms;
    }
}
