namespace Sim.Replay;

/// <summary>A reward given to an agent during a tick.</summary>
/// <param name="Agent">The agent's entity id.</param>
/// <param name="Value">The reward.</param>
/// <param name="Kind">Outcome, process or model reward.</param>
/// <param name="Node">The search-tree node the reward belongs to, or -1.</param>
public readonly record struct RewardRecord(int Agent, float Value, RewardKind Kind = RewardKind.Outcome, long Node = -1);
