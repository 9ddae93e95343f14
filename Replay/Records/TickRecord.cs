namespace Sim.Replay;

/// <summary>
/// Everything recorded for one tick. A <see cref="Keyframe"/> holds the full recorded state (every live entity in
/// <see cref="Created"/>, every component value, every search-tree node, the latest metrics) so a reader can start
/// there; other ticks hold deltas. Every chunk starts with a keyframe.
/// </summary>
public sealed class TickRecord
{
    /// <summary>The tick number.</summary>
    public long Tick { get; set; }

    /// <summary>True when this record is a full snapshot rather than a delta.</summary>
    public bool Keyframe { get; set; }

    /// <summary>Entities created this tick (all live entities in a keyframe).</summary>
    public List<EntityCreated> Created { get; } = new();

    /// <summary>Ids of entities destroyed this tick.</summary>
    public List<int> Destroyed { get; } = new();

    /// <summary>Component values that changed this tick (all values in a keyframe).</summary>
    public List<ComponentBlock> Components { get; } = new();

    /// <summary>Rewards given this tick.</summary>
    public List<RewardRecord> Rewards { get; } = new();

    /// <summary>Search-tree nodes created or changed this tick (all nodes in a keyframe).</summary>
    public List<TreeNodeRecord> TreeNodes { get; private set; } = new();

    /// <summary>Agents whose search tree was discarded this tick (a new episode starts a new tree).</summary>
    public List<int> TreesCleared { get; } = new();

    /// <summary>Learning and run metrics of this tick.</summary>
    public List<MetricRecord> Metrics { get; } = new();

    /// <summary>Episodes that finished this tick.</summary>
    public List<EpisodeRecord> Episodes { get; } = new();

    /// <summary>A rough size in bytes, used to cut chunks; deterministic since it depends on the data only.</summary>
    public int EstimateSize()
    {
        int n = 16 + Created.Count * 8 + Destroyed.Count * 4 + Rewards.Count * 12 + Metrics.Count * 24 + TreesCleared.Count * 4;
        foreach (var b in Components) n += 8 + b.Rows * 4 + b.ValueCount * 4;
        // Step text counts in full: chunks are cut by this estimate alone (deterministically, on the producer's side),
        // and a chunk must never outgrow the format's bound whatever the text. The texts are out of this core's caches,
        // so each one's first line is asked for a few records ahead (TreeColumns does the same on the writer).
        var nodes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(TreeNodes);
        for (int i = 0; i < nodes.Length; i++)
        {
            if (i + TreeColumns.PrefetchDistance < nodes.Length) TreeColumns.Prefetch(nodes[i + TreeColumns.PrefetchDistance].Step);
            n += 32 + (nodes[i].Step?.Length ?? 0);
        }
        foreach (var e in Episodes) n += 48 + e.Prompt.Length + e.Completion.Length;
        return n;
    }

    /// <summary>
    /// Makes <paramref name="nodes"/> this record's tree nodes and returns the record's own list, emptied, in exchange:
    /// a recorder hands a tick's (thousand or so) tree records over without copying them, and the writer clears the
    /// list when it recycles the record, off the simulation's thread.
    /// </summary>
    internal List<TreeNodeRecord> ExchangeTreeNodes(List<TreeNodeRecord> nodes)
    {
        var own = TreeNodes;
        own.Clear();
        TreeNodes = nodes;
        return own;
    }

    /// <summary>True when the record was rented from a <see cref="ReplayWriter"/>, which recycles it after encoding.</summary>
    internal bool Rented { get; init; }

    /// <summary>Empties every list for reuse.</summary>
    internal void Reset()
    {
        Created.Clear();
        Destroyed.Clear();
        Components.Clear();
        Rewards.Clear();
        TreeNodes.Clear();
        TreesCleared.Clear();
        Metrics.Clear();
        Episodes.Clear();
    }
}
