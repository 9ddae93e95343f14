using System.Runtime.CompilerServices;

namespace Sim.Engine;

public sealed partial class World
{
    /// <summary>Creates an entity with no components.</summary>
    public Entity Create()
    {
        AssertNotIterating(nameof(Create));
        return NewEntity(_archetypes[0], out _, out _);
    }

    /// <summary>True when <paramref name="entity"/> has a <typeparamref name="T"/>.</summary>
    public bool Has<T>(Entity entity) => _archetypes[SlotOf(entity).Archetype].ColumnOf(ComponentType<T>.Id_) >= 0;

    /// <summary>A reference to <paramref name="entity"/>'s <typeparamref name="T"/>; throws when it has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Get<T>(Entity entity)
    {
        ref var slot = ref SlotOf(entity);
        var arch = _archetypes[slot.Archetype];
        int column = arch.ColumnOf(ComponentType<T>.Id_);
        if (column < 0) ThrowMissing<T>(entity);
        return ref arch.ChunkList[slot.Chunk].GetArray<T>(column)[slot.Row];
    }

    /// <summary>Tries to read <paramref name="entity"/>'s <typeparamref name="T"/>.</summary>
    public bool TryGet<T>(Entity entity, out T value)
    {
        if (IsAlive(entity) && Has<T>(entity)) { value = Get<T>(entity); return true; }
        value = default!;
        return false;
    }

    /// <summary>Overwrites <paramref name="entity"/>'s existing <typeparamref name="T"/>. Not structural: allowed inside queries.</summary>
    public void Set<T>(Entity entity, in T value) => Get<T>(entity) = value;

    /// <summary>Adds a <typeparamref name="T"/> to <paramref name="entity"/>, moving it to another archetype. Throws if it already has one.</summary>
    public void Add<T>(Entity entity, in T value = default!)
    {
        AssertNotIterating(nameof(Add));
        ref var slot = ref SlotOf(entity);
        var from = _archetypes[slot.Archetype];
        int id = ComponentType<T>.Id_;
        if (from.ColumnOf(id) >= 0)
            throw new InvalidOperationException($"{entity} already has a {typeof(T).Name}; use Set to change it");
        if (!from.AddEdges.TryGetValue(id, out var to))
        {
            var mask = from.Mask;
            mask.Set(id);
            to = GetOrCreateArchetype(mask);
            from.AddEdges[id] = to;
        }
        Move(entity, ref slot, to);
        to.ChunkList[slot.Chunk].GetArray<T>(to.ColumnOf(id))[slot.Row] = value;
    }

    /// <summary>Removes <paramref name="entity"/>'s <typeparamref name="T"/>, moving it to another archetype. Throws if it has none.</summary>
    public void Remove<T>(Entity entity)
    {
        AssertNotIterating(nameof(Remove));
        ref var slot = ref SlotOf(entity);
        var from = _archetypes[slot.Archetype];
        int id = ComponentType<T>.Id_;
        if (from.ColumnOf(id) < 0) ThrowMissing<T>(entity);
        if (!from.RemoveEdges.TryGetValue(id, out var to))
        {
            var mask = from.Mask;
            mask.Clear(id);
            to = GetOrCreateArchetype(mask);
            from.RemoveEdges[id] = to;
        }
        Move(entity, ref slot, to);
    }

    /// <summary>Moves an entity's row to <paramref name="to"/>, copying the components both archetypes share.</summary>
    private void Move(Entity entity, ref Slot slot, Archetype to)
    {
        var from = _archetypes[slot.Archetype];
        var src = from.ChunkList[slot.Chunk];
        var (dstChunkIndex, dstRow) = to.AddRow(entity);
        var dst = to.ChunkList[dstChunkIndex];
        var types = from.Types;
        for (int c = 0; c < types.Length; c++)
        {
            int dc = to.ColumnOf(types[c].Id);
            if (dc >= 0) from.CopyCell(c, src.Columns[c], slot.Row, dst.Columns[dc], dstRow);
        }
        var moved = from.RemoveRow(slot.Chunk, slot.Row);
        if (!moved.IsNull)
        {
            ref var m = ref SlotAt(moved.Id);
            m.Chunk = slot.Chunk;
            m.Row = slot.Row;
        }
        slot.Archetype = to.Index;
        slot.Chunk = dstChunkIndex;
        slot.Row = dstRow;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMissing<T>(Entity entity) =>
        throw new InvalidOperationException($"{entity} has no {typeof(T).Name}");
}
