using System.Runtime.CompilerServices;

namespace Sim.Engine;

/// <summary>
/// Holds every entity and its components, stored per archetype in chunks (one array per component type).
/// Shaped like Arch: <c>World.Create()</c>, <c>Create(components)</c>, <c>Add/Remove/Set/Get/Has</c>,
/// <c>Query(in description, lambda)</c> and struct-callback <c>InlineQuery</c>.
/// </summary>
/// <remarks>
/// Structural changes (create, destroy, add, remove) made while a query runs throw
/// <see cref="StructuralChangeException"/>; record them in <see cref="Commands"/> and they play back at a fixed point
/// of the <see cref="Pipeline"/>. A world is not thread-safe, except that parallel queries may read and write component
/// values of the rows they are given.
/// </remarks>
public sealed partial class World : IDisposable
{
    // Locations of entities by id. The archetype is stored as an index, not a reference: writing a reference into
    // an array costs a GC write barrier on every create, move and destroy.
    private struct Slot
    {
        public int Archetype; // index into _archetypes, or -1 when the id is free
        public int Chunk;
        public int Row;
        public int Version;
    }

    // Slots live in fixed pages rather than one growing array: growth never copies, and each 128 KiB page sits on
    // the large-object heap, which the GC does not move.
    private const int PageBits = 13, PageSize = 1 << PageBits, PageMask = PageSize - 1;
    private Slot[][] _pages = [];
    private int _capacity;
    private int _nextId;
    private int[] _free = new int[64];
    private int _freeCount;
    private readonly List<Archetype> _archetypes = new();
    private readonly Dictionary<ComponentMask, Archetype> _byMask = new();
    private Archetype?[] _signatureCache = new Archetype?[32];
    private int _queryDepth;
    private bool _disposed;

    private World(ulong seed)
    {
        Random = new SimRandom(seed);
        Clock = new Clock();
        Resources = new Resources();
        Resources.Set(Random);
        Resources.Set(Clock);
        Commands = new CommandBuffer();
        GetOrCreateArchetype(default); // the empty archetype is always index 0
    }

    /// <summary>Creates an empty world whose random streams derive from <paramref name="seed"/>.</summary>
    public static World Create(ulong seed = 0) => new(seed);

    /// <summary>The world's random streams (also a resource).</summary>
    public SimRandom Random { get; }

    /// <summary>The world's clock (also a resource).</summary>
    public Clock Clock { get; }

    /// <summary>Singletons: config, clock, random, and anything systems share.</summary>
    public Resources Resources { get; }

    /// <summary>The world's command buffer; the <see cref="Pipeline"/> plays it back after every stage.</summary>
    public CommandBuffer Commands { get; }

    /// <summary>The number of live entities.</summary>
    public int Size { get; private set; }

    /// <summary>Every archetype, in creation order.</summary>
    public IReadOnlyList<Archetype> Archetypes => _archetypes;

    /// <summary>True while a query is iterating; structural changes then throw.</summary>
    public bool IsIterating => Volatile.Read(ref _queryDepth) > 0;

    /// <summary>True when <paramref name="entity"/> was created by this world and not destroyed since.</summary>
    public bool IsAlive(Entity entity) =>
        (uint)entity.Id < (uint)_nextId && SlotAt(entity.Id).Version == entity.Version && SlotAt(entity.Id).Archetype >= 0;

    /// <summary>Destroys <paramref name="entity"/>. Its handle, and every copy of it, reads as dead from now on.</summary>
    public void Destroy(Entity entity)
    {
        AssertNotIterating(nameof(Destroy));
        ref var slot = ref SlotOf(entity);
        var moved = _archetypes[slot.Archetype].RemoveRow(slot.Chunk, slot.Row);
        if (!moved.IsNull)
        {
            ref var m = ref SlotAt(moved.Id);
            m.Chunk = slot.Chunk;
            m.Row = slot.Row;
        }
        Retire(entity.Id, ref slot);
    }

    /// <summary>Destroys every entity in <paramref name="entities"/>; dead handles are an error.</summary>
    public void Destroy(ReadOnlySpan<Entity> entities)
    {
        foreach (var e in entities) Destroy(e);
    }

    /// <summary>Destroys every entity matching <paramref name="description"/> at once, without moving rows.</summary>
    public void Destroy(in QueryDescription description)
    {
        AssertNotIterating(nameof(Destroy));
        foreach (var arch in GetQuery(description).Archetypes)
        {
            foreach (var chunk in arch.ChunkList)
                for (int r = 0; r < chunk.Count; r++)
                {
                    int id = chunk.Entities[r].Id;
                    Retire(id, ref SlotAt(id));
                }
            arch.Clear();
        }
    }

    /// <summary>The archetype that <paramref name="entity"/> lives in.</summary>
    public Archetype GetArchetype(Entity entity) => _archetypes[SlotOf(entity).Archetype];

    /// <summary>The component types of <paramref name="entity"/>.</summary>
    public IReadOnlyList<Type> GetComponentTypes(Entity entity) => GetArchetype(entity).Types.Select(t => t.Type).ToArray();

    /// <summary>Visits every live entity, in archetype then row order (for tools and tests, not hot paths).</summary>
    public IEnumerable<Entity> AllEntities()
    {
        foreach (var arch in _archetypes)
            foreach (var chunk in arch.ChunkList)
                for (int r = 0; r < chunk.Count; r++)
                    yield return chunk.Entities[r];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var r in Resources.All) if (r is IDisposable d && !ReferenceEquals(d, this)) d.Dispose();
        foreach (var arch in _archetypes) arch.ReleaseAll();
        foreach (var page in _pages) ChunkPool<Slot>.Return(page);
        _archetypes.Clear();
        _byMask.Clear();
        _queries.Clear();
        _pages = [];
        _capacity = 0;
        _nextId = 0;
        Size = 0;
    }

    // ---- internals shared by the partial files ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot SlotAt(int id) => ref _pages[id >> PageBits][id & PageMask];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot SlotOf(Entity entity)
    {
        if ((uint)entity.Id < (uint)_nextId)
        {
            ref var slot = ref SlotAt(entity.Id);
            if (slot.Version == entity.Version && slot.Archetype >= 0) return ref slot;
        }
        throw new DeadEntityException(entity);
    }

    private void Retire(int id, ref Slot slot)
    {
        slot.Archetype = -1;
        slot.Version++;
        if (slot.Version == 0) slot.Version = 1; // skip 0 on wrap-around: version 0 means Entity.Null
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = id;
        Size--;
    }

    /// <summary>Allocates an id and a row in <paramref name="arch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Entity NewEntity(Archetype arch, out Chunk chunk, out int row)
    {
        int id;
        if (_freeCount > 0) id = _free[--_freeCount];
        else
        {
            id = _nextId++;
            if (id == _capacity) AddPage();
            SlotAt(id).Version = 1;
        }
        ref var slot = ref SlotAt(id);
        var entity = new Entity(id, slot.Version);
        var (c, r) = arch.AddRow(entity);
        slot.Archetype = arch.Index;
        slot.Chunk = c;
        slot.Row = r;
        chunk = arch.ChunkList[c];
        row = r;
        Size++;
        return entity;
    }

    /// <summary>
    /// Drops the arrays that disposed worlds left in the process-wide chunk pool, for long-lived processes that built
    /// one very large world and will not build another.
    /// </summary>
    public static void TrimPools()
    {
        ChunkPool<Entity>.Trim();
        ChunkPool<Slot>.Trim();
        for (int i = 0; i < ComponentType.Count; i++) ComponentType.FromId(i).TrimPool();
    }

    /// <summary>Reserves room for <paramref name="additional"/> more entity ids without reallocating.</summary>
    public void Reserve(int additional)
    {
        long need = (long)_nextId + additional;
        while (_capacity < need) AddPage();
    }

    private void AddPage()
    {
        if (_capacity > int.MaxValue - PageSize) throw new InvalidOperationException("a world holds at most 2^31 entity ids");
        Array.Resize(ref _pages, _pages.Length + 1);
        _pages[^1] = ChunkPool<Slot>.Rent(PageSize);
        _capacity += PageSize;
    }

    internal Archetype GetOrCreateArchetype(in ComponentMask mask)
    {
        if (_byMask.TryGetValue(mask, out var arch)) return arch;
        arch = new Archetype(_archetypes.Count, mask);
        _archetypes.Add(arch);
        _byMask.Add(mask, arch);
        return arch;
    }

    /// <summary>Archetype for a generic signature, cached by the signature's process-wide slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Archetype ArchetypeFor(int signatureSlot, in ComponentMask mask)
    {
        if ((uint)signatureSlot < (uint)_signatureCache.Length && _signatureCache[signatureSlot] is { } cached) return cached;
        return CacheSignature(signatureSlot, mask);
    }

    private Archetype CacheSignature(int signatureSlot, in ComponentMask mask)
    {
        if (signatureSlot >= _signatureCache.Length) Array.Resize(ref _signatureCache, Math.Max(signatureSlot + 1, _signatureCache.Length * 2));
        return _signatureCache[signatureSlot] = GetOrCreateArchetype(mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AssertNotIterating(string operation)
    {
        if (_queryDepth > 0) throw new StructuralChangeException(operation);
    }

    private void EnterQuery() => Interlocked.Increment(ref _queryDepth);

    private void ExitQuery() => Interlocked.Decrement(ref _queryDepth);
}
