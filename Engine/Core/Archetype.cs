using System.Runtime.CompilerServices;

namespace Sim.Engine;

/// <summary>
/// All entities with exactly one set of component types. Their data lives in <see cref="Chunks"/>, one array per
/// component type per chunk. Rows are kept dense: removing a row moves the archetype's last row into the hole.
/// </summary>
public sealed class Archetype
{
    /// <summary>Target bytes of component data per chunk; 16 KiB keeps a chunk's columns within L1/L2.</summary>
    public const int ChunkBytes = 128 * 1024;

    private readonly int[] _columnOfType;
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
        int bytes = Math.Max(1, Types.Sum(t => t.Size) + Unsafe.SizeOf<Entity>());
        ChunkCapacity = Math.Clamp(ChunkBytes / bytes, 64, 16384);
    }

    /// <summary>Creation order within the world; archetypes are visited in this order, which keeps runs deterministic.</summary>
    public int Index { get; }

    /// <summary>The component types, as a mask.</summary>
    public ComponentMask Mask { get; }

    /// <summary>The component types, ascending by id; column i of every chunk holds <c>Types[i]</c>.</summary>
    public ComponentType[] Types { get; }

    /// <summary>Rows per chunk.</summary>
    public int ChunkCapacity { get; }

    /// <summary>Live entities in this archetype.</summary>
    public int Count { get; private set; }

    /// <summary>The chunks; all are full except possibly the last.</summary>
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

    /// <summary>Appends a row for <paramref name="entity"/>; returns (chunk index, row). Component values are left default.</summary>
    internal (int chunk, int row) AddRow(Entity entity)
    {
        int chunkIndex = Count / ChunkCapacity;
        int row = Count - chunkIndex * ChunkCapacity;
        if (chunkIndex == ChunkList.Count) ChunkList.Add(new Chunk(this, ChunkCapacity));
        var chunk = ChunkList[chunkIndex];
        chunk.Entities[row] = entity;
        chunk.Count = row + 1;
        Count++;
        return (chunkIndex, row);
    }

    /// <summary>
    /// Removes a row by moving the archetype's last row into it. Returns the entity that moved (or Null when the
    /// removed row was the last), so the world can update that entity's location.
    /// </summary>
    internal Entity RemoveRow(int chunkIndex, int row)
    {
        int lastChunkIndex = (Count - 1) / ChunkCapacity;
        var last = ChunkList[lastChunkIndex];
        int lastRow = last.Count - 1;
        var target = ChunkList[chunkIndex];
        Entity moved = Entity.Null;
        if (chunkIndex != lastChunkIndex || row != lastRow)
        {
            moved = last.Entities[lastRow];
            target.Entities[row] = moved;
            for (int c = 0; c < Types.Length; c++) Types[c].Copy(last.Columns[c], lastRow, target.Columns[c], row);
        }
        for (int c = 0; c < Types.Length; c++) Types[c].Clear(last.Columns[c], lastRow);
        last.Entities[lastRow] = Entity.Null;
        last.Count = lastRow;
        Count--;
        // Keep one spare empty chunk at most, so add/remove churn at a chunk boundary does not reallocate.
        if (last.Count == 0 && ChunkList.Count > lastChunkIndex + 1) ChunkList.RemoveAt(ChunkList.Count - 1);
        return moved;
    }

    /// <summary>Drops every row at once (bulk destroy). The caller has already retired the entities.</summary>
    internal void Clear()
    {
        foreach (var chunk in ChunkList)
        {
            for (int c = 0; c < Types.Length; c++) Types[c].ClearRange(chunk.Columns[c], 0, chunk.Count);
            Array.Clear(chunk.Entities, 0, chunk.Count);
            chunk.Count = 0;
        }
        if (ChunkList.Count > 1) ChunkList.RemoveRange(1, ChunkList.Count - 1);
        Count = 0;
    }
}
