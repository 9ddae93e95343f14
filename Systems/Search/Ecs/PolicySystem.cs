using System.Diagnostics;
using Sim.Agents.Policies;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>policy</c>: gathers every agent's queued expansions into one batch and calls the policy once per distinct K
/// (usually once per tick), then hands each agent its proposals and charges its ledger: one policy call per line, the
/// line's tokens, and its share of the call's wall time.
/// </summary>
public sealed class PolicySystem : ISystem
{
    private readonly List<SearchAgent> _agents = new();
    private readonly Dictionary<int, Batch> _batches = new();
    private readonly List<(SearchAgent Agent, Batch Batch, int Index)> _owners = new();

    private sealed class Batch(int k)
    {
        public readonly int K = k;
        public readonly List<PolicyContext> Contexts = new();
        public ProposedStep[] Output = [];
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var run = world.Resources.Get<SearchRun>();
        _agents.Clear();
        world.Query(SearchSelectSystem.Agents, (ref AgentComponent c) => _agents.Add(c.Agent));
        foreach (var b in _batches.Values) b.Contexts.Clear();
        _owners.Clear();
        int total = 0;
        foreach (var agent in _agents)
        {
            // The contexts were built on every core in search.select; here they are only gathered, in agent order.
            var requests = agent.Requests;
            for (int i = 0; i < requests.Count; i++)
            {
                int k = requests[i].K;
                if (!_batches.TryGetValue(k, out var batch)) _batches[k] = batch = new Batch(k);
                _owners.Add((agent, batch, batch.Contexts.Count));
                batch.Contexts.Add(agent.Contexts[i]);
                total += k;
            }
        }
        if (total == 0) return;

        long t0 = Stopwatch.GetTimestamp();
        foreach (var batch in _batches.Values)
        {
            if (batch.Contexts.Count == 0) continue;
            int need = batch.Contexts.Count * batch.K;
            if (batch.Output.Length < need) batch.Output = new ProposedStep[need];
            run.Policy.Propose(batch.Contexts, batch.K, batch.Output, StableHash.Combine(run.Seed, (ulong)tick.Tick));
            run.Metrics.BatchedPolicyCalls++;
        }
        double msPerLine = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / total;

        foreach (var (agent, batch, index) in _owners)
        {
            int k = batch.K;
            for (int j = 0; j < k; j++)
            {
                var p = batch.Output[index * k + j];
                agent.Proposed.Add(p);
                agent.Ledger.Tokens += p.Tokens;
            }
            agent.Ledger.PolicyCalls += k;
            agent.Ledger.WallMs += msPerLine * k;
        }
        run.Metrics.Proposals += total;
    }
}
