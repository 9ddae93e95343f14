namespace Sim.Engine;

/// <summary>
/// A handle to an entity: an id plus the version of that id when the handle was made.
/// Destroying an entity bumps its version, so an old handle reads as dead forever, even after the id is reused.
/// <c>default(Entity)</c> is <see cref="Null"/> and is never alive.
/// </summary>
public readonly record struct Entity(int Id, int Version)
{
    /// <summary>The handle that refers to nothing.</summary>
    public static Entity Null => default;

    /// <summary>True for <see cref="Null"/>.</summary>
    public bool IsNull => Version == 0;

    /// <inheritdoc />
    public override string ToString() => IsNull ? "Entity(null)" : $"Entity({Id}v{Version})";
}
