using System.Diagnostics;
using Sim.Agents.Policies;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>reward_models</c> (after <see cref="RewardModelSystem"/>): the policy judges its own new lines. For every agent
/// whose algorithm self-evaluates (<see cref="SearchAlgorithm.SelfEvaluates"/>: steps and answers under
/// <see cref="Guidance.SelfEval"/>), every new line of those kinds goes into one batched call to the run's
/// <see cref="ISelfEvaluator"/>; the judgement is stored on the node (<see cref="SearchNode.SelfScore"/>) and charged to
/// the agent as one policy call plus the judgement's tokens, and a share of the call's time. The charge comes after the
/// tick's selection, so like other work already batched it can take an agent past its budget by one tick's judgements.
/// </summary>
public sealed class SelfEvalSystem : ISystem
{
    private readonly List<SelfEvalRequest> _requests = new();
    private readonly List<(SearchAgent Agent, int Node)> _owners = new();
    private SelfEvaluation[] _out = [];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var run = tick.World.Resources.Get<SearchRun>();
        _requests.Clear();
        _owners.Clear();
        foreach (var agent in run.Agents)
        {
            if (agent.Fresh.Count == 0 || agent.Algorithm.Guidance != Guidance.SelfEval) continue;
            var tree = agent.Tree;
            foreach (int id in agent.Fresh)
            {
                ref var n = ref tree[id];
                if (!agent.Algorithm.SelfEvaluates(n.Kind)) continue;
                if (run.SelfEvaluator is null)
                    throw new InvalidOperationException($"{agent.Algorithm.Name} is guided by self-evaluation, but the run has no self-evaluator");
                int parent = n.Parent;
                ulong key = StableHash.Combine(StableHash.Combine(agent.EpisodeSeed, 0x5E1FUL), (ulong)id);
                var context = new PolicyContext(agent.Env, agent.Problem, tree[parent].State, tree.Lines(parent), key);
                _requests.Add(new SelfEvalRequest(context, n.Text, KindOf(n.Kind)));
                _owners.Add((agent, id));
            }
        }
        if (_requests.Count == 0) return;
        if (_out.Length < _requests.Count) _out = new SelfEvaluation[_requests.Count * 2];
        long t0 = Stopwatch.GetTimestamp();
        run.SelfEvaluator!.Evaluate(_requests, _out.AsSpan(0, _requests.Count), StableHash.Combine(run.Seed ^ 0x5E1F_0000UL, (ulong)tick.Tick));
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / _requests.Count;
        run.Metrics.BatchedSelfEvalCalls++;
        for (int i = 0; i < _owners.Count; i++)
        {
            var (agent, id) = _owners[i];
            var e = _out[i];
            agent.Tree[id].SelfScore = Math.Clamp(e.Correct, 0, 1);
            agent.Ledger.PolicyCalls++;
            agent.Ledger.Tokens += e.Tokens;
            agent.Ledger.WallMs += ms;
        }
        run.Metrics.SelfEvaluations += _owners.Count;
    }

    private static StepKind KindOf(NodeKind kind) => kind switch
    {
        NodeKind.Answer => StepKind.Answer,
        NodeKind.Thought => StepKind.Thought,
        NodeKind.Correction => StepKind.Correction,
        _ => StepKind.Step,
    };
}
