using System.Diagnostics;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>reward_models</c>: scores every new node of every agent whose algorithm uses a reward model, in one batched call
/// to the run's <see cref="INodeScorer"/>; charges one reward-model call per node and a share of the call's time.
/// </summary>
public sealed class RewardModelSystem : ISystem
{
    private readonly List<ScoreRequest> _requests = new();
    private readonly List<(SearchAgent Agent, int Node)> _owners = new();
    private double[] _scores = [];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var run = world.Resources.Get<SearchRun>();
        _requests.Clear();
        _owners.Clear();
        foreach (var agent in run.Agents)
        {
            if (!agent.Algorithm.UsesRewardModel || agent.Fresh.Count == 0) continue;
            if (run.Scorer is null) throw new InvalidOperationException($"{agent.Algorithm.Name} is guided by a reward model, but the run has none");
            var tree = agent.Tree;
            foreach (int id in agent.Fresh)
            {
                ref var n = ref tree[id];
                double label = SearchAlgorithm.NodeSignal(tree, id, Guidance.Oracle);
                ulong key = StableHash.Combine(StableHash.Combine(agent.EpisodeSeed, 0x52AAUL), (ulong)id);
                _requests.Add(new ScoreRequest(agent.Env, agent.Problem, tree.Lines(id), n.Complete, label, key));
                _owners.Add((agent, id));
            }
        }
        if (_requests.Count == 0) return;
        if (_scores.Length < _requests.Count) _scores = new double[_requests.Count * 2];
        long t0 = Stopwatch.GetTimestamp();
        run.Scorer!.Score(_requests, _scores.AsSpan(0, _requests.Count));
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / _requests.Count;
        run.Metrics.BatchedScorerCalls++;
        for (int i = 0; i < _owners.Count; i++)
        {
            var (agent, id) = _owners[i];
            agent.Tree[id].ModelScore = _scores[i];
            agent.Ledger.RewardModelCalls++;
            agent.Ledger.WallMs += ms;
        }
    }
}
