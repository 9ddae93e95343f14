namespace Sim.Engine;

/// <summary>
/// World singletons keyed by type: configuration records, the clock, the random streams, shared buffers.
/// Systems read them instead of globals, so two worlds in one process never share state.
/// </summary>
public sealed class Resources
{
    private readonly Dictionary<Type, object> _items = new();
    private readonly List<Type> _order = new();

    /// <summary>Sets (or replaces) the resource of type <typeparamref name="T"/>.</summary>
    public void Set<T>(T value) where T : notnull
    {
        if (!_items.ContainsKey(typeof(T))) _order.Add(typeof(T));
        _items[typeof(T)] = value;
    }

    /// <summary>The resource of type <typeparamref name="T"/>; throws with the type's name when it is missing.</summary>
    public T Get<T>() where T : notnull =>
        _items.TryGetValue(typeof(T), out var v) ? (T)v : throw new KeyNotFoundException($"world has no resource of type {typeof(T).Name}; call world.Resources.Set(...) first");

    /// <summary>Tries to read the resource of type <typeparamref name="T"/>.</summary>
    public bool TryGet<T>(out T value) where T : notnull
    {
        if (_items.TryGetValue(typeof(T), out var v)) { value = (T)v; return true; }
        value = default!;
        return false;
    }

    /// <summary>True when a resource of type <typeparamref name="T"/> is set.</summary>
    public bool Has<T>() => _items.ContainsKey(typeof(T));

    /// <summary>Removes the resource of type <typeparamref name="T"/>; returns whether it was present.</summary>
    public bool Remove<T>()
    {
        _order.Remove(typeof(T));
        return _items.Remove(typeof(T));
    }

    /// <summary>Every resource, in the order first set.</summary>
    public IEnumerable<object> All => _order.Select(t => _items[t]);
}
