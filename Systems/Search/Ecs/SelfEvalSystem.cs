using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>reward_models</c> (after <see cref="RewardModelSystem"/>): the policy judges its own new lines. For every agent
/// whose algorithm self-evaluates (<see cref="SearchAlgorithm.SelfEvaluates"/>: steps and answers under
/// <see cref="Guidance.SelfEval"/>), every new line of those kinds goes into one batched call to the run's
/// <see cref="ISelfEvaluator"/>; the judgement goes on the agent as a reward component with source
/// <see cref="RewardSource.SelfEval"/> and is charged as one policy call plus the judgement's tokens, and a share of
/// the call's time. The charge comes after the tick's selection, so like other work already batched it can take an
/// agent past its budget by one tick's judgements.
/// </summary>
public sealed class SelfEvalSystem : NodeScoringSystem<SelfEvalRequest, SelfEvaluation>
{
    /// <inheritdoc />
    protected override bool Wants(SearchAlgorithm algorithm) => algorithm.Guidance == Guidance.SelfEval;

    /// <inheritdoc />
    protected override bool Wants(SearchAgent agent, int node)
    {
        if (!agent.Algorithm.SelfEvaluates(agent.Tree[node].Kind)) return false;
        if (agent.Run.SelfEvaluator is null)
            throw new InvalidOperationException($"{agent.Algorithm.Name} is guided by self-evaluation, but the run has no self-evaluator");
        return true;
    }

    /// <inheritdoc />
    protected override SelfEvalRequest Request(SearchAgent agent, int node, ProcessRewards process, OutcomeRewards outcome)
    {
        var tree = agent.Tree;
        ref var n = ref tree[node];
        int parent = n.Parent;
        ulong key = StableHash.Combine(StableHash.Combine(agent.EpisodeSeed, 0x5E1FUL), (ulong)node);
        var context = new PolicyContext(agent.Env, agent.Problem, tree[parent].State, tree.Lines(parent), key);
        return new SelfEvalRequest(context, n.Text, KindOf(n.Kind));
    }

    /// <inheritdoc />
    protected override void Score(SearchRun run, List<SelfEvalRequest> requests, Span<SelfEvaluation> results, long tick)
    {
        run.SelfEvaluator!.Evaluate(requests, results, StableHash.Combine(run.Seed ^ 0x5E1F_0000UL, (ulong)tick));
        run.Metrics.BatchedSelfEvalCalls++;
        run.Metrics.SelfEvaluations += requests.Count;
    }

    /// <inheritdoc />
    protected override void Apply(SearchAgent agent, int node, in SelfEvaluation e, double ms, ProcessRewards process, OutcomeRewards outcome)
    {
        double score = Math.Clamp(e.Correct, 0, 1);
        if (agent.Tree[node].Complete) outcome.Add(new OutcomeReward(node, score, VerdictKind.Ok, RewardSource.SelfEval));
        else process.Add(new ProcessReward(node, score, VerdictKind.Ok, RewardSource.SelfEval));
        agent.Ledger.PolicyCalls++;
        agent.Ledger.Tokens += e.Tokens;
        agent.Ledger.WallMs += ms;
    }

    private static StepKind KindOf(NodeKind kind) => kind switch
    {
        NodeKind.Answer => StepKind.Answer,
        NodeKind.Thought => StepKind.Thought,
        NodeKind.Correction => StepKind.Correction,
        _ => StepKind.Step,
    };
}
