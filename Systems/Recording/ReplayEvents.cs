using Sim.Replay;

namespace Sim.Systems.Recording;

/// <summary>
/// A world resource that systems write replay events into during a tick: rewards, search-tree node upserts, cleared
/// trees, metrics and finished episodes. <see cref="RecordSystem"/> drains it in the record stage. Systems stay
/// independent of the recorder: they write here only when the resource is present
/// (<c>if (world.Resources.TryGet&lt;ReplayEvents&gt;(out var ev)) ev.TreeNodes.Add(...)</c>).
/// A search system emits a <see cref="TreeNodeRecord"/> for every node it creates or changes (visits, value, chosen
/// flag), with the step text the first time; the recorder keeps a mirror of every tree so keyframes can restate them
/// (or, with <see cref="RecordSystem.RestateTrees"/>, asks the producer to restate them).
/// </summary>
public sealed class ReplayEvents
{
    /// <summary>Rewards given this tick.</summary>
    public List<RewardRecord> Rewards { get; } = new();

    /// <summary>
    /// Search-tree nodes created or changed this tick. Look the list up each tick rather than keeping it: the recorder
    /// takes the tick's list as it is and leaves an empty one in its place.
    /// </summary>
    public List<TreeNodeRecord> TreeNodes { get; internal set; } = new();

    /// <summary>Agents whose tree was discarded this tick.</summary>
    public List<int> TreesCleared { get; } = new();

    /// <summary>Metrics measured this tick.</summary>
    public List<MetricRecord> Metrics { get; } = new();

    /// <summary>Episodes finished this tick.</summary>
    public List<EpisodeRecord> Episodes { get; } = new();

    internal void Clear()
    {
        Rewards.Clear();
        TreeNodes.Clear();
        TreesCleared.Clear();
        Metrics.Clear();
        Episodes.Clear();
    }
}
