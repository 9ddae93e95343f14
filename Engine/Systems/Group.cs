using System.Diagnostics;

namespace Sim.Engine;

/// <summary>
/// A named list of systems run in list order. Groups nest. Like Arch's <c>Group</c>, each phase runs over the whole
/// list before the next phase starts: every child's BeforeUpdate, then every Update, then every AfterUpdate.
/// When a <see cref="SystemProfiler"/> is attached, each child's time is recorded under "group/child".
/// </summary>
public sealed class Group : ISystem
{
    private readonly List<ISystem> _systems = new();
    private readonly List<string> _paths = new();
    private SystemProfiler? _profiler;
    private string _path;

    /// <summary>Creates a group named <paramref name="name"/> running <paramref name="systems"/> in order.</summary>
    public Group(string name, params IEnumerable<ISystem> systems)
    {
        Name = name;
        _path = name;
        foreach (var s in systems) Add(s);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The systems, in run order.</summary>
    public IReadOnlyList<ISystem> Systems => _systems;

    /// <summary>Appends a system; returns this group for chaining.</summary>
    public Group Add(ISystem system)
    {
        _systems.Add(system);
        _paths.Add($"{_path}/{system.Name}");
        _profiler?.Register(_paths[^1]);
        if (system is Group g) g.AttachProfiler(_profiler, _path);
        return this;
    }

    /// <summary>Records per-child timings into <paramref name="profiler"/> (null detaches).</summary>
    public void AttachProfiler(SystemProfiler? profiler, string? parentPath = null)
    {
        _profiler = profiler;
        _path = parentPath is null ? Name : $"{parentPath}/{Name}";
        for (int i = 0; i < _systems.Count; i++)
        {
            _paths[i] = $"{_path}/{_systems[i].Name}";
            profiler?.Register(_paths[i]); // registration order is pipeline order: parents before children
            if (_systems[i] is Group g) g.AttachProfiler(profiler, _path);
        }
    }

    /// <inheritdoc />
    public void Initialize(World world)
    {
        foreach (var s in _systems) s.Initialize(world);
    }

    /// <inheritdoc />
    public void BeforeUpdate(in TickContext tick)
    {
        for (int i = 0; i < _systems.Count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            _systems[i].BeforeUpdate(tick);
            Record(i, t0);
        }
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        for (int i = 0; i < _systems.Count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            _systems[i].Update(tick);
            Record(i, t0);
        }
    }

    /// <inheritdoc />
    public void AfterUpdate(in TickContext tick)
    {
        for (int i = 0; i < _systems.Count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            _systems[i].AfterUpdate(tick);
            Record(i, t0);
        }
    }

    private void Record(int i, long start)
    {
        if (_profiler is not null) _profiler.Add(_paths[i], Stopwatch.GetTimestamp() - start);
    }
}
