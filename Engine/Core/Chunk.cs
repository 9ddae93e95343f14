using System.Runtime.CompilerServices;

namespace Sim.Engine;

/// <summary>
/// A fixed-capacity block of entities of one archetype, with one array per component type (structure of arrays).
/// Rows <c>[0, Count)</c> are live; the world keeps every chunk of an archetype full except the last.
/// </summary>
public sealed class Chunk
{
    internal readonly Entity[] Entities;
    internal readonly Array[] Columns;

    internal Chunk(Archetype archetype, int capacity)
    {
        Archetype = archetype;
        Entities = ChunkPool<Entity>.Rent(capacity);
        Columns = new Array[archetype.Types.Length];
        for (int i = 0; i < Columns.Length; i++) Columns[i] = archetype.Types[i].NewArray(capacity);
    }

    /// <summary>The archetype this chunk belongs to.</summary>
    public Archetype Archetype { get; }

    /// <summary>The number of live rows.</summary>
    public int Count { get; internal set; }

    /// <summary>The capacity of every column.</summary>
    public int Capacity => Entities.Length;

    /// <summary>The live entities, by row.</summary>
    public ReadOnlySpan<Entity> EntitySpan => new(Entities, 0, Count);

    /// <summary>The live values of component <typeparamref name="T"/>; throws when the archetype lacks it.</summary>
    public Span<T> GetSpan<T>() => new(GetArray<T>(Archetype.ColumnOf(ComponentType<T>.Id_)), 0, Count);

    /// <summary>Gives the chunk's arrays back to the pool; the chunk must not be used afterwards.</summary>
    internal void Release()
    {
        ChunkPool<Entity>.Return(Entities);
        for (int i = 0; i < Columns.Length; i++) Archetype.Types[i].ReturnArray(Columns[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T[] GetArray<T>(int column) => Unsafe.As<T[]>(Columns[column]);
}
