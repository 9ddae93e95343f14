using System.Diagnostics;

namespace Sim.Engine;

/// <summary>Accumulates wall time per system path ("stage/system") over ticks; what <c>--profile</c> prints.</summary>
public sealed class SystemProfiler
{
    private readonly Dictionary<string, long> _ticks = new();
    private readonly List<string> _order = new();

    /// <summary>Ticks the pipeline has run while this profiler was attached.</summary>
    public long Ticks { get; internal set; }

    internal void Register(string path)
    {
        if (_ticks.TryAdd(path, 0)) _order.Add(path);
    }

    internal void Add(string path, long stopwatchTicks)
    {
        if (!_ticks.TryGetValue(path, out long t)) _order.Add(path);
        _ticks[path] = t + stopwatchTicks;
    }

    /// <summary>One row per system, in pipeline order: total milliseconds and mean microseconds per tick.</summary>
    public IReadOnlyList<ProfileEntry> Entries() => _order
        .Select(p => new ProfileEntry(p, _ticks[p] * 1000.0 / Stopwatch.Frequency, Ticks == 0 ? 0 : _ticks[p] * 1e6 / Stopwatch.Frequency / Ticks))
        .ToArray();

    /// <summary>Forgets every measurement.</summary>
    public void Reset()
    {
        _ticks.Clear();
        _order.Clear();
        Ticks = 0;
    }
}
