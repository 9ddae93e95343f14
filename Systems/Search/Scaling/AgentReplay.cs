using Sim.Replay;
using Sim.Systems.Recording;

namespace Sim.Systems.Search;

/// <summary>
/// One agent's share of the replay, filled on the agent's own core in <see cref="SearchBackupSystem"/>'s pass: this tick's tree
/// records and finished episode, and a mirror of the agent's recorded tree for keyframes. <see cref="EpisodeSystem"/>
/// moves the tick's records into <see cref="ReplayEvents"/> in agent order, so the replay does not depend on the split.
/// </summary>
internal sealed class AgentReplay
{
    /// <summary>This tick's tree records (new nodes, their ancestors, the chosen path).</summary>
    public readonly List<TreeNodeRecord> Nodes = new();

    /// <summary>The agent's recorded tree as of this tick, restated by keyframes.</summary>
    public readonly TreeMirror Mirror = new();

    /// <summary>True when the agent's old tree is discarded this tick.</summary>
    public bool Cleared;

    /// <summary>The completion of the episode the agent finished this tick, or null; the episode record itself is made
    /// in agent order, which numbers it.</summary>
    public string? Completion;

    /// <summary>Forgets the last tick's records.</summary>
    public void Reset()
    {
        Nodes.Clear();
        Cleared = false;
        Completion = null;
    }
}
