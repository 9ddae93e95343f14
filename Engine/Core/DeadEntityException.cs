namespace Sim.Engine;

/// <summary>Thrown when a handle is used after its entity was destroyed (or was never created by this world).</summary>
public sealed class DeadEntityException(Entity entity)
    : InvalidOperationException($"{entity} is not alive in this world (destroyed, or from another world)")
{
    /// <summary>The stale handle.</summary>
    public Entity Entity { get; } = entity;
}
