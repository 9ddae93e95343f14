namespace Sim.Systems.Search;

/// <summary>
/// Samples N independent trajectories in parallel, one line per chain per tick: the root is sampled N times in one
/// request (so a policy's sample diversity applies), then every open chain is extended by one line until it ends with
/// an answer (or the depth limit). Chains are never merged, even when two write the same line. Used by
/// <see cref="BestOfN"/> and <see cref="Voting"/>.
/// </summary>
internal sealed class ChainSampler
{
    private readonly List<int> _open = new();
    private bool _started;

    /// <summary>The complete trajectories' last nodes, in the order they finished.</summary>
    public List<int> Finished { get; } = new();

    /// <summary>True when every chain has ended.</summary>
    public bool AllDone => _started && _open.Count == 0;

    public void Begin()
    {
        _open.Clear();
        Finished.Clear();
        _started = false;
    }

    public void Select(SearchAgent agent, int n)
    {
        if (!_started)
        {
            agent.Request(0, n, merge: false);
            _started = true;
            return;
        }
        foreach (int node in _open) agent.Request(node, 1, merge: false);
    }

    public void Backup(SearchAgent agent)
    {
        _open.Clear();
        foreach (int node in agent.Fresh)
        {
            if (agent.Tree[node].Complete) Finished.Add(node);
            else _open.Add(node);
        }
    }
}
