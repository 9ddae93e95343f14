using Sim.Replay;
using Sim.Systems.Recording;

namespace Sim.Systems.Search;

/// <summary>
/// This tick's tree records of a recorded search run, one buffer per slice of agents (the engine's split of
/// <see cref="AgentQuery.Agents"/> in <see cref="AgentQuery.ForTimed"/>), filled in <see cref="SearchBackupSystem"/>'s
/// pass on every core. Slices are numbered in entity order, so the buffers joined in slice order are in agent order
/// whatever the split, and the replay does not depend on it.
/// <para>
/// Why per range, not per agent: a buffer per agent cost a few cache misses per agent per tick to fill, to hand on and
/// to clear (its object, its list, its array), for 256 agents and about three records each; a range's buffer stays in
/// its core's cache, and the hand-off is one copy per range.
/// </para>
/// </summary>
internal sealed class ReplayRanges
{
    private readonly List<RangeBuffer> _ranges = new();

    /// <summary>Makes sure there is a buffer for each of <paramref name="slices"/> slices (before the parallel pass).</summary>
    public void EnsureSlices(int slices)
    {
        while (_ranges.Count < slices) _ranges.Add(new RangeBuffer());
    }

    /// <summary>The buffer of slice <paramref name="slice"/>.</summary>
    public RangeBuffer this[int slice] => _ranges[slice];

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
