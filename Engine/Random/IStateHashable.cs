namespace Sim.Engine;

/// <summary>
/// Implemented by components and resources that hold references (strings, arrays) so the world's
/// <see cref="World.StateHash"/> can include them exactly. Unmanaged components are hashed by their bytes
/// and need not implement it.
/// </summary>
public interface IStateHashable
{
    /// <summary>Feeds every value that defines this object's state into <paramref name="hasher"/>.</summary>
    void AppendHash(ref StateHasher hasher);
}
