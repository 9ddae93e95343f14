using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sim.Engine;
using Sim.Replay;

namespace Sim.Systems.Recording;

/// <summary>
/// Writes the world to a replay as it ticks (stage <see cref="Stages.Record"/>). Each tick it compares the tracked
/// entities and components with what it recorded last and writes only the differences, plus the events systems put
/// in <see cref="ReplayEvents"/>; when the writer starts a new chunk it writes a keyframe with the full state instead.
/// Encoding, compression and disk writes happen on the writer's background thread.
/// <example><code>
/// var recorder = new RecordSystem(writer)
///     .TrackEntities(new QueryDescription().WithAll&lt;Position&gt;(), EntityKind.Particle)
///     .Track("position", ["x", "y"], (in Position p, Span&lt;float&gt; v) => { v[0] = p.X; v[1] = p.Y; });
/// pipeline.Add(Stages.Record, recorder);
/// </code></example>
/// </summary>
public sealed partial class RecordSystem : ISystem
{
    private readonly ReplayWriter _writer;
    private readonly List<(QueryDescription Query, EntityKind Kind, Func<World, Entity, string?>? Label)> _entityQueries = new();
    private readonly List<IComponentTracker> _components = new();
    private readonly List<Func<World, IEnumerable<MetricRecord>>> _metricSources = new();
    private Action<List<TreeNodeRecord>>? _restateTrees;
    private int[] _version = new int[1024];      // version of each live recorded entity id, 0 when not live
    private int[] _seenStamp = new int[1024];    // _stamp of the last tick the id was seen on a changed chunk row
    private int[] _createdStamp = new int[1024]; // _stamp of the tick the id was (re)created
    private EntityKind[] _kind = new EntityKind[1024];
    private string?[] _label = new string?[1024];
    private readonly List<Dictionary<Chunk, ChunkSnapshot>> _snapshots = new(); // per entity query
    private readonly List<Entity> _candidates = new();  // entities that were on a changed row last tick
    private readonly List<Chunk> _staleChunks = new();
    private int _maxId = -1;

    /// <summary>A chunk's (id, version) column as of the last tick.</summary>
    private sealed class ChunkSnapshot
    {
        public Entity[] Entities = [];
        public int Count, Visited;
    }
    private int _stamp;
    // The tree mirror, per agent: clearing a tree is one lookup, not a scan of every agent's nodes. Keyframes sort it.
    private readonly Dictionary<int, TreeMirror> _trees = new();
    private readonly Stack<TreeMirror> _spareTrees = new();
    private readonly List<int> _agentOrder = new();
    private readonly List<TreeNodeRecord> _treeScratch = new();
    private static readonly Comparison<EntityCreated> ById = (a, b) => a.Id.CompareTo(b.Id);
    private readonly SortedDictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, double> _tickMetrics = new(StringComparer.Ordinal);

    /// <summary>Creates a recorder writing to <paramref name="writer"/>. The writer's header must declare every tracked component.</summary>
    public RecordSystem(ReplayWriter writer) => _writer = writer;

    /// <inheritdoc />
    public string Name => "RecordSystem";

    private readonly List<Type> _reads = [typeof(ReplayEvents)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads => _reads;

    /// <summary>Declares what the recorder's callbacks (labels, metrics, restated trees) read beyond its tracked components.</summary>
    public RecordSystem Reading(params Type[] types)
    {
        foreach (var t in types) if (!_reads.Contains(t)) _reads.Add(t);
        return this;
    }

    /// <summary>Ticks recorded.</summary>
    public long TicksRecorded { get; private set; }

    /// <summary>Records the entities matching <paramref name="query"/> (creation and destruction) as <paramref name="kind"/>.</summary>
    public RecordSystem TrackEntities(QueryDescription query, EntityKind kind, Func<World, Entity, string?>? label = null)
    {
        _entityQueries.Add((query, kind, label));
        _snapshots.Add(new Dictionary<Chunk, ChunkSnapshot>(ReferenceEqualityComparer.Instance));
        return this;
    }

    /// <summary>
    /// Records component <typeparamref name="T"/> under <paramref name="name"/>, as the floats <paramref name="extract"/>
    /// writes. The name must be declared in the writer's header with the same number of fields.
    /// </summary>
    public RecordSystem Track<T>(string name, IReadOnlyList<string> fields, ComponentExtractor<T> extract)
    {
        var schema = _writer.Header.Component(name) ?? throw new ArgumentException($"component '{name}' is not declared in the replay header");
        if (schema.Fields.Count != fields.Count) throw new ArgumentException($"component '{name}' has {schema.Fields.Count} fields in the header, {fields.Count} here");
        _components.Add(new ComponentTracker<T>(schema, extract));
        Reading(typeof(T));
        return this;
    }

    /// <summary>
    /// Records component <typeparamref name="T"/> under <paramref name="name"/> as its raw memory: <typeparamref name="T"/>
    /// must be a struct of exactly <paramref name="fields"/>.Count float fields, in that order (like <c>Position</c>'s
    /// X, Y). Capture is then one memory copy per ECS chunk instead of a call per entity. The name must be declared in
    /// the writer's header with the same number of fields.
    /// </summary>
    public RecordSystem TrackRaw<T>(string name, IReadOnlyList<string> fields) where T : unmanaged
    {
        var schema = _writer.Header.Component(name) ?? throw new ArgumentException($"component '{name}' is not declared in the replay header");
        if (schema.Fields.Count != fields.Count) throw new ArgumentException($"component '{name}' has {schema.Fields.Count} fields in the header, {fields.Count} here");
        if (System.Runtime.CompilerServices.Unsafe.SizeOf<T>() != 4 * fields.Count || fields.Count == 0)
            throw new ArgumentException($"{typeof(T).Name} is {System.Runtime.CompilerServices.Unsafe.SizeOf<T>()} bytes, not {fields.Count} floats");
        _components.Add(new ComponentTracker<T>(schema, null));
        Reading(typeof(T));
        return this;
    }

    /// <summary>
    /// Lets keyframes restate the search trees from <paramref name="restate"/>, which appends every node of every tree
    /// as of this tick, ordered by (agent, node), instead of from the recorder's own mirror of the tree events. For
    /// producers that mirror their trees themselves (off the recorder's thread, as the search run does per agent).
    /// </summary>
    public RecordSystem RestateTrees(Action<List<TreeNodeRecord>> restate)
    {
        _restateTrees = restate;
        return this;
    }

    /// <summary>Adds metrics read from the world each tick (after the events' own metrics).</summary>
    public RecordSystem TrackMetrics(Func<World, IEnumerable<MetricRecord>> source)
    {
        _metricSources.Add(source);
        return this;
    }

    /// <inheritdoc />
    public void Initialize(World world)
    {
        if (!world.Resources.Has<ReplayEvents>()) world.Resources.Set(new ReplayEvents());
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var events = world.Resources.Get<ReplayEvents>();
        // Rented from the writer, which recycles the record and its column buffers once it is encoded.
        var rec = _writer.RentRecord(tick.Tick, _writer.NeedsKeyframe);

        RecordEntities(world, rec);
        foreach (var c in _components) c.Record(world, rec, this);

        rec.Rewards.AddRange(events.Rewards);
        if (_restateTrees is null) MirrorTrees(events);
        if (rec.Keyframe) (_restateTrees ?? RestateMirroredTrees)(rec.TreeNodes);
        else
        {
            rec.TreesCleared.AddRange(events.TreesCleared);
            events.TreeNodes = rec.ExchangeTreeNodes(events.TreeNodes);
        }
        rec.Episodes.AddRange(events.Episodes);

        var metrics = _tickMetrics;
        metrics.Clear();
        foreach (var m in events.Metrics) metrics[m.Name] = m.Value;
        foreach (var source in _metricSources) foreach (var m in source(world)) metrics[m.Name] = m.Value;
        foreach (var (name, value) in metrics) _metrics[name] = value;
        foreach (var (name, value) in rec.Keyframe ? _metrics : metrics) rec.Metrics.Add(new MetricRecord(name, value));

        events.Clear();
        _writer.Append(rec);
        TicksRecorded++;
    }

    /// <summary>Applies this tick's tree events to the recorder's own mirror of every tree (which keyframes restate).</summary>
    private void MirrorTrees(ReplayEvents events)
    {
        foreach (int agent in events.TreesCleared)
        {
            if (_trees.Remove(agent, out var cleared)) { cleared.Clear(); _spareTrees.Push(cleared); }
        }
        // Events of one agent come together: one lookup per run of an agent's nodes.
        TreeMirror? mirror = null;
        int mirrorAgent = 0;
        foreach (ref readonly var n in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events.TreeNodes))
        {
            if (mirror is null || n.Agent != mirrorAgent)
            {
                if (!_trees.TryGetValue(n.Agent, out mirror))
                {
                    mirror = _spareTrees.Count > 0 ? _spareTrees.Pop() : new TreeMirror();
                    _trees[n.Agent] = mirror;
                }
                mirrorAgent = n.Agent;
            }
            mirror.Upsert(n);
        }
    }

    /// <summary>Every node of the recorder's mirror, ordered by (agent, node), into <paramref name="into"/>.</summary>
    private void RestateMirroredTrees(List<TreeNodeRecord> into)
    {
        _agentOrder.Clear();
        _agentOrder.AddRange(_trees.Keys);
        _agentOrder.Sort();
        foreach (int agent in _agentOrder) _trees[agent].AppendAll(into, _treeScratch);
    }

    private void RecordEntities(World world, TickRecord rec)
    {
        // Each entity query keeps a snapshot of every chunk's (id, version) column from the last tick. Comparing the
        // two as 8-byte words (vectorised) finds the rows that changed; only those are looked at: the entity now on
        // such a row may be new, the one that was there may be gone. Rows that did not change hold the same entity as
        // last tick, which was recorded then. An entity that was on a changed row and is not on any changed row now is
        // destroyed (it cannot sit on an unchanged row: it would have been on two rows last tick).
        int stamp = ++_stamp;
        bool keyframe = rec.Keyframe;
        _candidates.Clear();
        for (int q = 0; q < _entityQueries.Count; q++)
        {
            var (query, kind, label) = _entityQueries[q];
            var snapshots = _snapshots[q];
            int visited = 0;
            var archetypes = world.GetQuery(query).Archetypes;
            for (int a = 0; a < archetypes.Count; a++)
            {
                var chunks = archetypes[a].Chunks;
                for (int c = 0; c < chunks.Count; c++)
                {
                    var chunk = chunks[c];
                    if (!snapshots.TryGetValue(chunk, out var snap)) snapshots[chunk] = snap = new ChunkSnapshot();
                    snap.Visited = stamp;
                    visited++;
                    var cur = chunk.EntitySpan;
                    var old = snap.Entities.AsSpan(0, snap.Count);
                    var curBits = MemoryMarshal.Cast<Entity, long>(cur);
                    var oldBits = MemoryMarshal.Cast<Entity, long>(old);
                    int common = Math.Min(cur.Length, old.Length), i = 0;
                    while (i < common)
                    {
                        i += curBits[i..common].CommonPrefixLength(oldBits[i..common]);
                        if (i >= common) break;
                        See(world, cur[i], kind, label, rec);
                        _candidates.Add(old[i]);
                        i++;
                    }
                    for (; i < cur.Length; i++) See(world, cur[i], kind, label, rec);
                    for (int k = common; k < old.Length; k++) _candidates.Add(old[k]);
                    if (snap.Entities.Length < cur.Length) snap.Entities = new Entity[Math.Max(cur.Length, snap.Entities.Length * 2)];
                    cur.CopyTo(snap.Entities);
                    snap.Count = cur.Length;
                }
            }
            if (snapshots.Count > visited)
            {
                // Chunks that are gone (or no longer match): everything they held may be gone too.
                _staleChunks.Clear();
                foreach (var (chunk, snap) in snapshots)
                {
                    if (snap.Visited == stamp) continue;
                    _staleChunks.Add(chunk);
                    _candidates.AddRange(snap.Entities.AsSpan(0, snap.Count));
                }
                foreach (var chunk in _staleChunks) snapshots.Remove(chunk);
            }
        }
        foreach (var e in CollectionsMarshal.AsSpan(_candidates))
        {
            int id = e.Id;
            if (_seenStamp[id] == stamp || _version[id] != e.Version) continue; // still here, or already replaced
            _version[id] = 0;
            _label[id] = null;
            if (!keyframe) rec.Destroyed.Add(id);
        }
        if (keyframe)
        {
            // Every live entity in id order: ids are small and dense, so this is a scan, not a sort.
            var versions = _version.AsSpan(0, Math.Min(_version.Length, _maxId + 1));
            for (int id = 0; id < versions.Length; id++)
                if (versions[id] != 0) rec.Created.Add(new EntityCreated(id, _kind[id], _label[id]));
        }
        else
        {
            if (rec.Destroyed.Count > 1) rec.Destroyed.Sort();
            if (rec.Created.Count > 1) rec.Created.Sort(ById);
        }
    }

    /// <summary>An entity on a changed row of a chunk: recorded as created when its version is new.</summary>
    private void See(World world, Entity e, EntityKind kind, Func<World, Entity, string?>? label, TickRecord rec)
    {
        int id = e.Id;
        if (id >= _version.Length) Grow(id);
        if (_seenStamp[id] == _stamp) return; // the first matching query decides the kind
        _seenStamp[id] = _stamp;
        ref int version = ref _version[id];
        if (version == e.Version) return;
        if (version != 0 && !rec.Keyframe) rec.Destroyed.Add(id); // id reused within one tick
        version = e.Version;
        _kind[id] = kind;
        _label[id] = label?.Invoke(world, e);
        _createdStamp[id] = _stamp;
        if (id > _maxId) _maxId = id;
        if (!rec.Keyframe) rec.Created.Add(new EntityCreated(id, kind, _label[id]));
    }

    private void Grow(int id)
    {
        if (id < _version.Length) return;
        int n = Math.Max(id + 1, _version.Length * 2);
        Array.Resize(ref _version, n);
        Array.Resize(ref _seenStamp, n);
        Array.Resize(ref _createdStamp, n);
        Array.Resize(ref _kind, n);
        Array.Resize(ref _label, n);
    }

    /// <summary>True when <paramref name="id"/> is recorded and alive this tick.</summary>
    private bool IsLive(int id) => id < _version.Length && _version[id] != 0;

    /// <summary>True when <paramref name="id"/> was created (or first seen) this tick.</summary>
    private bool IsNew(int id) => _createdStamp[id] == _stamp;
}
