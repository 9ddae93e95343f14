using Sim.Replay;
using Sim.Systems.Recording;

namespace Sim.Systems.Search;

/// <summary>
/// This tick's tree records of a recorded search run, one buffer per contiguous range of agents
/// (<see cref="AgentParallel.ForTimed"/>'s split), filled in <see cref="SearchBackupSystem"/>'s pass on every core.
/// Ranges are numbered in agent order, so the buffers joined in range order are in agent order whatever the split,
/// and the replay does not depend on it.
/// <para>
/// Why per range, not per agent: a buffer per agent cost a few cache misses per agent per tick to fill, to hand on and
/// to clear (its object, its list, its array), for 256 agents and about three records each; a range's buffer stays in
/// its core's cache, and the hand-off is one copy per range.
/// </para>
/// </summary>
internal sealed class ReplayRanges
{
    private readonly RangeBuffer[] _ranges;

    /// <summary>Buffers for a run of <paramref name="agents"/> agents.</summary>
    public ReplayRanges(int agents) =>
        _ranges = Enumerable.Range(0, AgentParallel.MaxRanges(agents)).Select(_ => new RangeBuffer()).ToArray();

    /// <summary>The buffer of range <paramref name="range"/>.</summary>
    public RangeBuffer this[int range] => _ranges[range];

    /// <summary>Moves every range's records, in range order, into <paramref name="events"/>, and empties the buffers.</summary>
    public void MoveTo(ReplayEvents events)
    {
        foreach (var r in _ranges)
        {
            if (r.Cleared.Count > 0) events.TreesCleared.AddRange(r.Cleared);
            if (r.Nodes.Count > 0) events.TreeNodes.AddRange(r.Nodes);
            r.Cleared.Clear();
            r.Nodes.Clear();
        }
    }

    /// <summary>One range's records of this tick, in agent order.</summary>
    public sealed class RangeBuffer
    {
        /// <summary>Agents whose old tree is discarded this tick.</summary>
        public readonly List<int> Cleared = new();

        /// <summary>Tree records: new nodes, their ancestors, touched paths, chosen paths.</summary>
        public readonly List<TreeNodeRecord> Nodes = new();
    }
}
