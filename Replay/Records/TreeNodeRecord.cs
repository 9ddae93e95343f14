namespace Sim.Replay;

/// <summary>
/// One node of an agent's search tree, as an upsert: a search system emits a record for each node it created or
/// changed this tick, and a keyframe carries every node. <see cref="Step"/> is sent when the node first appears and
/// may be null afterwards, meaning "unchanged". See docs/replay-format.md, "Recording search trees".
/// </summary>
/// <param name="Agent">The agent whose tree this is.</param>
/// <param name="Node">Node id, unique within the agent's tree.</param>
/// <param name="Parent">Parent node id, or -1 for the root.</param>
/// <param name="Step">The reasoning step's text, or null when unchanged.</param>
/// <param name="Visits">Visit count.</param>
/// <param name="Value">Value estimate (e.g. the MCTS Q value).</param>
/// <param name="Reward">Process reward of the step.</param>
/// <param name="Chosen">True when the node is on the chosen path (the committed answer). Added in schema version 2.</param>
public readonly record struct TreeNodeRecord(
    int Agent, long Node, long Parent, string? Step, int Visits, float Value, float Reward, bool Chosen);
