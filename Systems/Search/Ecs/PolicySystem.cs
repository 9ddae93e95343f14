using System.Diagnostics;
using Sim.Agents.Policies;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>policy</c>: gathers every agent's queued expansions (its <see cref="TickWork"/>, by query, in entity order) into
/// one batch and calls the policy once per distinct K (usually once per tick). Each agent collects its proposals, and is charged for them (one policy call per line, the
/// line's tokens, and its share of the call's wall time), on its own thread at the start of the environments stage.
/// </summary>
public sealed class PolicySystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(TickWork)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(TickWork), typeof(SearchMetrics)];

    private readonly Dictionary<int, Batch> _batches = new();
    private Batch? _last;

    /// <summary>One policy call's contexts (all requests of one K) and its output.</summary>
    internal sealed class Batch(int k)
    {
        public readonly int K = k;
        public readonly List<PolicyContext> Contexts = new();
        public ProposedStep[] Output = [];
        public double MsPerLine;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var run = world.Resources.Get<SearchRun>();
        foreach (var b in _batches.Values) b.Contexts.Clear();
        _total = 0;
        // The contexts were built on every core in search.select; here they are only gathered, in entity order,
        // remembering where each request's proposals will be.
        world.Query(AgentQuery.Agents, _gather ??= Gather);
        int total = _total;
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
        foreach (var batch in _batches.Values) batch.MsPerLine = msPerLine;
        // Each agent takes its proposals (and is charged for them) at the start of the environments stage, on every
        // core: see Collect.
        run.Metrics.Proposals += total;
    }

    private int _total;
    private ForEach<TickWork>? _gather;

    private void Gather(ref TickWork tickWork)
    {
        var work = tickWork.Work;
        var requests = work.Requests;
        var slots = work.Slots;
        slots.Clear();
        for (int i = 0; i < requests.Count; i++)
        {
            int k = requests[i].K;
            var batch = _last is { } last && last.K == k ? last : Find(k);
            slots.Add((batch, batch.Contexts.Count));
            batch.Contexts.Add(work.Contexts[i]);
            _total += k;
        }
    }

    private Batch Find(int k)
    {
        if (!_batches.TryGetValue(k, out var batch)) _batches[k] = batch = new Batch(k);
        return _last = batch;
    }

    /// <summary>
    /// Hands <paramref name="agent"/> its proposals of this tick's batched calls, in request order, and charges its
    /// ledger: one policy call per line, the line's tokens, and its share of the calls' wall time. Called on the agent's
    /// own thread by the environments stage (so the per-agent work runs on every core without another pass).
    /// </summary>
    internal static void Collect(SearchAgent agent)
    {
        var slots = agent.Work.Slots;
        var proposed = agent.Work.Proposed;
        ref var ledger = ref agent.Ledger;
        for (int i = 0; i < slots.Count; i++)
        {
            var (batch, index) = slots[i];
            int k = batch.K;
            var output = batch.Output;
            for (int j = 0; j < k; j++)
            {
                var p = output[index * k + j];
                proposed.Add(p);
                ledger.Tokens += p.Tokens;
            }
            ledger.PolicyCalls += k;
            ledger.WallMs += batch.MsPerLine * k;
        }
        slots.Clear();
    }
}
