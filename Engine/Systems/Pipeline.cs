namespace Sim.Engine;

/// <summary>
/// Advances a world one tick at a time through an ordered list of <see cref="Stage"/>s given once, at construction.
/// For each stage, in order: every system's BeforeUpdate, Update, AfterUpdate; then the world's
/// <see cref="CommandBuffer"/> plays back, so the next stage sees the structural changes of the last. Empty stages
/// cost nothing. The engine defines no stages: the caller's list is the tick's order.
/// </summary>
/// <example><code>
/// Stage spawn = new("spawn"), metrics = new("metrics");
/// using var world = World.Create(seed: 7);
/// var pipeline = new Pipeline(world, [spawn, metrics])
///     .Add(spawn, new SpawnSystem())
///     .Add(metrics, new MetricsSystem());
/// pipeline.Run(ticks: 100);
/// </code></example>
public sealed class Pipeline
{
    private readonly Group[] _stages;
    private bool _initialized;

    /// <summary>Creates a pipeline for <paramref name="world"/> with one empty group per stage of <paramref name="stages"/>, in that order.</summary>
    public Pipeline(World world, IReadOnlyList<Stage> stages)
    {
        if (stages.Count == 0) throw new ArgumentException("a pipeline needs at least one stage");
        if (stages.Distinct().Count() != stages.Count) throw new ArgumentException("a pipeline's stages must be distinct");
        World = world;
        Stages = stages.ToArray();
        _stages = Stages.Select(s => new Group(s.Name)).ToArray();
    }

    /// <summary>The stages, in run order.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The world this pipeline advances.</summary>
    public World World { get; }

    /// <summary>The stage groups, in run order.</summary>
    public IReadOnlyList<Group> StageGroups => _stages;

    /// <summary>Per-system timings when profiling is on, otherwise null.</summary>
    public SystemProfiler? Profiler { get; private set; }

    /// <summary>Adds <paramref name="system"/> at the end of stage <paramref name="stage"/>.</summary>
    public Pipeline Add(Stage stage, ISystem system)
    {
        var group = _stages.FirstOrDefault(g => g.Name == stage.Name)
            ?? throw new ArgumentException($"unknown stage '{stage}'; stages are: {string.Join(", ", _stages.Select(g => g.Name))}");
        if (_initialized) system.Initialize(World);
        group.Add(system);
        return this;
    }

    /// <summary>Turns per-system timing on or off.</summary>
    public Pipeline EnableProfiling(bool on = true)
    {
        Profiler = on ? new SystemProfiler() : null;
        foreach (var g in _stages) g.AttachProfiler(Profiler);
        return this;
    }

    /// <summary>Runs one tick: advances the clock, then every stage in order, with command-buffer playback after each.</summary>
    public void Tick()
    {
        if (!_initialized)
        {
            foreach (var g in _stages) g.Initialize(World);
            _initialized = true;
        }
        var clock = World.Clock;
        clock.Tick++;
        var ctx = new TickContext(World, clock.Tick, clock.DeltaTime);
        foreach (var stage in _stages)
        {
            if (stage.Systems.Count == 0) continue;
            stage.BeforeUpdate(ctx);
            stage.Update(ctx);
            stage.AfterUpdate(ctx);
            World.Commands.Playback(World);
        }
        if (Profiler is not null) Profiler.Ticks++;
    }

    /// <summary>Runs <paramref name="ticks"/> ticks, reporting progress in [0, 1] after each when asked.</summary>
    public void Run(long ticks, Action<double>? progress = null)
    {
        for (long t = 0; t < ticks; t++)
        {
            Tick();
            progress?.Invoke((t + 1) / (double)ticks);
        }
    }
}
