namespace Sim.Engine;

/// <summary>
/// Thrown when an entity is created, destroyed, or gains or loses a component while a query is iterating.
/// Such a change would move rows under the iterator and silently skip or repeat entities, so it is refused;
/// record it in a <see cref="CommandBuffer"/> instead.
/// </summary>
public sealed class StructuralChangeException(string operation)
    : InvalidOperationException($"{operation} is a structural change and cannot run inside a query; record it in a CommandBuffer (world.Commands) and play it back after the query");
