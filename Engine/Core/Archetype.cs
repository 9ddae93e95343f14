using System.Runtime.CompilerServices;

namespace Sim.Engine;

/// <summary>
/// All entities with exactly one set of component types. Their data lives in <see cref="Chunks"/>, one array per
/// component type per chunk. Rows are kept dense: removing a row moves the archetype's last row into the hole.
/// </summary>
public sealed class Archetype
{
    /// <summary>Rows in an archetype's first chunk; each next chunk doubles, up to <see cref="MaxChunkCapacity"/>.</summary>
    public const int FirstChunkCapacity = 64;

    /// <summary>
    /// Upper bound on rows per chunk. Chunks grow geometrically so that small archetypes (a few tasks) stay small
    /// while large ones (a million nodes) get long chunks: long runs stream at memory speed in queries, and their
    /// arrays land on the large-object heap, which the GC never copies between generations.
    /// </summary>
    public const int MaxChunkCapacity = 16 * 1024;

    private readonly int[] _columnOfType;
    // Per column: true when values hold references and a vacated row must be cleared so the GC can collect them.
    private readonly bool[] _managed;
    internal readonly List<Chunk> ChunkList = new();
    internal readonly Dictionary<int, Archetype> AddEdges = new();
    internal readonly Dictionary<int, Archetype> RemoveEdges = new();

    internal Archetype(int index, ComponentMask mask)
    {
        Index = index;
        Mask = mask;
        var ids = mask.ToIds();
        Types = ids.Select(ComponentType.FromId).ToArray();
        _columnOfType = new int[ids.Length == 0 ? 0 : ids[^1] + 1];
        Array.Fill(_columnOfType, -1);
        for (int i = 0; i < ids.Length; i++) _columnOfType[ids[i]] = i;
        _managed = Types.Select(t => t.IsManaged).ToArray();
    }

    /// <summary>Creation order within the world; archetypes are visited in this order, which keeps runs deterministic.</summary>
    public int Index { get; }

    /// <summary>The component types, as a mask.</summary>
    public ComponentMask Mask { get; }

    /// <summary>The component types, ascending by id; column i of every chunk holds <c>Types[i]</c>.</summary>
    public ComponentType[] Types { get; }

    /// <summary>Live entities in this archetype.</summary>
    public int Count { get; private set; }

    /// <summary>The chunks; all are full except possibly the last. Capacities double from chunk to chunk.</summary>
    public IReadOnlyList<Chunk> Chunks => ChunkList;

    /// <summary>The column of component type <paramref name="typeId"/>, or -1 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ColumnOf(int typeId) => (uint)typeId < (uint)_columnOfType.Length ? _columnOfType[typeId] : -1;

    internal int ColumnOfOrThrow(int typeId)
    {
        int c = ColumnOf(typeId);
        if (c < 0) throw new InvalidOperationException($"archetype has no component {ComponentType.FromId(typeId).Type.Name}");
        return c;
    }

    // Index of the last chunk holding rows, or -1 when empty. Tracking it avoids a division per add and remove.
    private int _tail = -1;

    /// <summary>Appends a row for <paramref name="entity"/>; returns (chunk index, row). Component values are left default.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal (int chunk, int row) AddRow(Entity entity)
    {
        Chunk chunk;
        if (_tail < 0 || (chunk = ChunkList[_tail]).Count == chunk.Capacity) chunk = NextChunk();
        int row = chunk.Count;
        chunk.Entities[row] = entity;
        chunk.Count = row + 1;
        Count++;
        return (_tail, row);
    }

    private Chunk NextChunk()
    {
        _tail++;
        if (_tail == ChunkList.Count)
        {
            int capacity = _tail == 0 ? FirstChunkCapacity : Math.Min(MaxChunkCapacity, ChunkList[_tail - 1].Capacity * 2);
            ChunkList.Add(new Chunk(this, capacity));
        }
        return ChunkList[_tail];
    }

    /// <summary>
    /// Removes a row by moving the archetype's last row into it. Returns the entity that moved (or Null when the
    /// removed row was the last), so the world can update that entity's location.
    /// </summary>
    internal Entity RemoveRow(int chunkIndex, int row)
    {
        var last = ChunkList[_tail];
        int lastRow = last.Count - 1;
        var target = ChunkList[chunkIndex];
        Entity moved = Entity.Null;
        var types = Types;
        if (chunkIndex != _tail || row != lastRow)
        {
            moved = last.Entities[lastRow];
            target.Entities[row] = moved;
            for (int c = 0; c < types.Length; c++) CopyCell(c, last.Columns[c], lastRow, target.Columns[c], row);
        }
        for (int c = 0; c < types.Length; c++)
            if (_managed[c]) types[c].Clear(last.Columns[c], lastRow);
        last.Count = lastRow;
        Count--;
        if (lastRow == 0)
        {
            _tail--;
            // Keep one spare empty chunk at most, so add/remove churn at a chunk boundary does not reallocate.
            if (ChunkList.Count > _tail + 2)
            {
                ChunkList[^1].Release();
                ChunkList.RemoveAt(ChunkList.Count - 1);
            }
        }
        return moved;
    }

    /// <summary>Copies one value of column <paramref name="column"/> between two arrays of that column's type.</summary>
    // A typed (virtual) copy is one struct assignment; a raw byte copy of a size only known at run time would call
    // memmove, which measured slower.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CopyCell(int column, Array src, int srcRow, Array dst, int dstRow) => Types[column].Copy(src, srcRow, dst, dstRow);

    /// <summary>Drops every row at once (bulk destroy). The caller has already retired the entities.</summary>
    internal void Clear()
    {
        foreach (var chunk in ChunkList)
        {
            for (int c = 0; c < Types.Length; c++) Types[c].ClearRange(chunk.Columns[c], 0, chunk.Count);
            Array.Clear(chunk.Entities, 0, chunk.Count);
            chunk.Count = 0;
        }
        for (int i = 1; i < ChunkList.Count; i++) ChunkList[i].Release();
        if (ChunkList.Count > 1) ChunkList.RemoveRange(1, ChunkList.Count - 1);
        Count = 0;
        _tail = -1;
    }

    /// <summary>Gives every chunk's arrays back to the pool (the world is being disposed).</summary>
    internal void ReleaseAll()
    {
        foreach (var chunk in ChunkList)
        {
            for (int c = 0; c < Types.Length; c++) Types[c].ClearRange(chunk.Columns[c], 0, chunk.Count);
            chunk.Release();
        }
        ChunkList.Clear();
        Count = 0;
        _tail = -1;
    }
}
