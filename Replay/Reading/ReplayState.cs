namespace Sim.Replay;

/// <summary>
/// The recorded world at one tick, rebuilt from a keyframe and the deltas after it (see <see cref="ReplayCursor"/>).
/// </summary>
public sealed class ReplayState
{
    private readonly Dictionary<int, ComponentTable> _components = new();

    /// <summary>Creates an empty state for replays with <paramref name="header"/>.</summary>
    public ReplayState(ReplayHeader header)
    {
        Header = header;
        foreach (var c in header.Components) _components[c.Id] = new ComponentTable(c);
    }

    /// <summary>The replay's header.</summary>
    public ReplayHeader Header { get; }

    /// <summary>The tick this state is at (0 before any tick).</summary>
    public long Tick { get; private set; }

    /// <summary>Live entities by id.</summary>
    public Dictionary<int, EntityCreated> Entities { get; } = new();

    /// <summary>Search trees by agent id, each a map from node id to node.</summary>
    public Dictionary<int, Dictionary<long, TreeNodeState>> Trees { get; } = new();

    /// <summary>Latest value of every metric.</summary>
    public SortedDictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Latest reward of every agent: its last reward record or the outcome of its last ended episode.</summary>
    public Dictionary<int, float> LastReward { get; } = new();

    /// <summary>Rewards given at <see cref="Tick"/> itself.</summary>
    public List<RewardRecord> RewardsThisTick { get; } = new();

    /// <summary>Episodes that ended at <see cref="Tick"/> itself.</summary>
    public List<EpisodeRecord> EpisodesThisTick { get; } = new();

    /// <summary>The table of component <paramref name="name"/>, or null when it is not recorded.</summary>
    public ComponentTable? Component(string name) => Header.Component(name) is { } c ? _components[c.Id] : null;

    /// <summary>Applies one tick record: a keyframe replaces the state, a delta updates it.</summary>
    public void Apply(TickRecord t)
    {
        if (t.Keyframe)
        {
            Entities.Clear();
            Trees.Clear();
            foreach (var c in _components.Values) c.Clear();
            // Metrics and last rewards persist: a keyframe restates them, it does not erase history.
        }
        RewardsThisTick.Clear();
        EpisodesThisTick.Clear();
        Tick = t.Tick;
        foreach (int id in t.Destroyed)
        {
            Entities.Remove(id);
            foreach (var c in _components.Values) c.Remove(id);
        }
        foreach (var e in t.Created) Entities[e.Id] = e;
        foreach (var b in t.Components)
        {
            if (!_components.TryGetValue(b.Component, out var table)) continue; // unknown component: skip, as a newer writer may add some
            int stride = b.Entities.Length == 0 ? 0 : b.Values.Length / b.Entities.Length;
            for (int i = 0; i < b.Entities.Length; i++) table.Set(b.Entities[i], b.Values.AsSpan(i * stride, stride));
        }
        foreach (int agent in t.TreesCleared) Trees.Remove(agent);
        foreach (var n in t.TreeNodes)
        {
            if (!Trees.TryGetValue(n.Agent, out var tree)) Trees[n.Agent] = tree = new Dictionary<long, TreeNodeState>();
            if (!tree.TryGetValue(n.Node, out var node)) tree[n.Node] = node = new TreeNodeState { Id = n.Node };
            node.Parent = n.Parent;
            if (n.Step is not null) node.Step = n.Step;
            node.Visits = n.Visits;
            node.Value = n.Value;
            node.Reward = n.Reward;
            node.Chosen = n.Chosen;
        }
        foreach (var m in t.Metrics) Metrics[m.Name] = m.Value;
        foreach (var r in t.Rewards)
        {
            LastReward[r.Agent] = r.Value;
            RewardsThisTick.Add(r);
        }
        EpisodesThisTick.AddRange(t.Episodes);
        // An ended episode's outcome is its agent's latest reward too (search runs record outcomes as episodes).
        foreach (var e in t.Episodes) LastReward[e.Agent] = e.Reward;
    }
}
