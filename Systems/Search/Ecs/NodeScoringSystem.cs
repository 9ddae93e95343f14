using System.Diagnostics;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// A <c>reward_models</c>-stage system that scores new tree nodes in one batched call per tick: it gathers a request for
/// every new node an agent wants scored (by query, in entity order, on one thread), makes one call, then walks the agents
/// again in the same order and hands each its results, with its share of the call's wall time. The subclass says which
/// nodes, how to ask, and what a result means (a reward component and a ledger charge).
/// </summary>
/// <typeparam name="TRequest">One node's request.</typeparam>
/// <typeparam name="TResult">One node's result.</typeparam>
public abstract class NodeScoringSystem<TRequest, TResult> : ISystem
{
    private readonly List<TRequest> _requests = new();
    private TResult[] _results = [];
    private int _next;
    private double _msPerNode;
    private SearchRun? _run;
    private AgentQuery.Visit? _gather, _scatter;
    private Func<SearchAlgorithm, AgentWork, bool>? _filter;

    // Agents with new nodes whose algorithm wants this score.
    private bool Filter(SearchAlgorithm algorithm, AgentWork work) => work.Fresh.Count > 0 && Wants(algorithm);

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(AgentEpisode), typeof(SearchState), typeof(TickWork), typeof(TreeStore), typeof(ProcessRewards), typeof(OutcomeRewards)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(ProcessRewards), typeof(OutcomeRewards), typeof(ComputeLedger), typeof(SearchMetrics)];

    /// <summary>True when the agent's algorithm wants this kind of score at all (checked once per agent per tick, before
    /// a view of the agent is made).</summary>
    protected abstract bool Wants(SearchAlgorithm algorithm);

    /// <summary>True when <paramref name="node"/>, new this tick, should be scored.</summary>
    protected virtual bool Wants(SearchAgent agent, int node) => true;

    /// <summary>The request for <paramref name="node"/>.</summary>
    protected abstract TRequest Request(SearchAgent agent, int node, ProcessRewards process, OutcomeRewards outcome);

    /// <summary>Scores every request in one call.</summary>
    protected abstract void Score(SearchRun run, List<TRequest> requests, Span<TResult> results, long tick);

    /// <summary>Hands <paramref name="node"/>'s result to its agent: a reward component and a ledger charge
    /// (<paramref name="ms"/> is the node's share of the call's wall time).</summary>
    protected abstract void Apply(SearchAgent agent, int node, in TResult result, double ms, ProcessRewards process, OutcomeRewards outcome);

    /// <summary>The number of nodes scored in the last tick.</summary>
    public int LastCount { get; private set; }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        _run = world.Resources.Get<SearchRun>();
        _requests.Clear();
        AgentQuery.ForEach(world, _filter ??= Filter, _gather ??= Gather);
        LastCount = _requests.Count;
        if (_requests.Count == 0) return;
        if (_results.Length < _requests.Count) _results = new TResult[_requests.Count * 2];
        long t0 = Stopwatch.GetTimestamp();
        Score(_run, _requests, _results.AsSpan(0, _requests.Count), tick.Tick);
        _msPerNode = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / _requests.Count;
        _next = 0;
        AgentQuery.ForEach(world, _filter, _scatter ??= Scatter);
    }

    private void Gather(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome)
    {
        foreach (int id in agent.Fresh)
            if (Wants(agent, id)) _requests.Add(Request(agent, id, process, outcome));
    }

    // The same walk as Gather, so the i-th wanted node gets the i-th result.
    private void Scatter(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome)
    {
        foreach (int id in agent.Fresh)
            if (Wants(agent, id)) Apply(agent, id, _results[_next++], _msPerNode, process, outcome);
    }
}
