using System.Runtime.InteropServices;

namespace Sim.Replay;

/// <summary>The current values of one component for every entity that has it, stored densely (swap-remove on delete).</summary>
public sealed class ComponentTable
{
    private readonly Dictionary<int, int> _row = new();
    private readonly List<int> _entities = new();
    private readonly List<float> _values = new();

    /// <summary>Creates an empty table for <paramref name="schema"/>.</summary>
    public ComponentTable(ComponentSchema schema)
    {
        Schema = schema;
        Stride = Math.Max(1, schema.Fields.Count);
    }

    /// <summary>The component.</summary>
    public ComponentSchema Schema { get; }

    /// <summary>Floats per entity.</summary>
    public int Stride { get; }

    /// <summary>Entities that have the component.</summary>
    public int Count => _entities.Count;

    /// <summary>Entity ids, row order.</summary>
    public ReadOnlySpan<int> Entities => CollectionsMarshal.AsSpan(_entities);

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<float> Values => CollectionsMarshal.AsSpan(_values);

    /// <summary>The values of <paramref name="entity"/>, or an empty span.</summary>
    public ReadOnlySpan<float> Get(int entity) =>
        _row.TryGetValue(entity, out int r) ? CollectionsMarshal.AsSpan(_values).Slice(r * Stride, Stride) : default;

    /// <summary>Sets the values of <paramref name="entity"/>.</summary>
    public void Set(int entity, ReadOnlySpan<float> values)
    {
        if (!_row.TryGetValue(entity, out int r))
        {
            r = _entities.Count;
            _row[entity] = r;
            _entities.Add(entity);
            for (int i = 0; i < Stride; i++) _values.Add(0);
        }
        values[..Math.Min(Stride, values.Length)].CopyTo(CollectionsMarshal.AsSpan(_values).Slice(r * Stride, Stride));
    }

    /// <summary>Removes <paramref name="entity"/>'s values.</summary>
    public void Remove(int entity)
    {
        if (!_row.Remove(entity, out int r)) return;
        int last = _entities.Count - 1;
        if (r != last)
        {
            int moved = _entities[last];
            _entities[r] = moved;
            _row[moved] = r;
            CollectionsMarshal.AsSpan(_values).Slice(last * Stride, Stride).CopyTo(CollectionsMarshal.AsSpan(_values).Slice(r * Stride, Stride));
        }
        _entities.RemoveAt(last);
        _values.RemoveRange(last * Stride, Stride);
    }

    /// <summary>Removes everything.</summary>
    public void Clear()
    {
        _row.Clear();
        _entities.Clear();
        _values.Clear();
    }
}
