namespace Sim.Replay;

/// <summary>An entity that came into being (in a delta) or exists (in a keyframe).</summary>
/// <param name="Id">The entity's id; unique among live entities (ids may be reused after a destroy).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Label">Short display name (task name, agent name), or null.</param>
public readonly record struct EntityCreated(int Id, EntityKind Kind, string? Label = null);
