namespace Sim.Replay;

/// <summary>
/// A finished episode: one agent's attempt at one task, ended this tick. <c>sim data export --replay</c> turns these into
/// TRL SFT and KTO rows (prompt, completion, label, reward). Added in schema version 2.
/// </summary>
/// <param name="Agent">The agent's entity id.</param>
/// <param name="Episode">Episode number, unique per replay.</param>
/// <param name="Task">The task's entity id.</param>
/// <param name="Prompt">The problem statement.</param>
/// <param name="Completion">The agent's final reasoning and answer.</param>
/// <param name="Reward">Outcome reward.</param>
/// <param name="Solved">True when the answer was correct.</param>
/// <param name="Compute">Compute spent: policy tokens or node expansions.</param>
public sealed record EpisodeRecord(
    int Agent, long Episode, int Task, string Prompt, string Completion, float Reward, bool Solved, long Compute);
