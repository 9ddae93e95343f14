using Sim.Replay;

namespace Sim.Viewer;

/// <summary>
/// Metric series for the charts. Small replays (up to 32 MB) are read once for a point per tick; larger ones use the
/// footer's per-chunk metric summaries, so charts never force the whole file into memory.
/// </summary>
public sealed class ChartSeries
{
    /// <summary>Points (tick, value) by metric name.</summary>
    public SortedDictionary<string, List<(long Tick, double Value)>> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>Builds the series of <paramref name="reader"/>.</summary>
    public static ChartSeries Load(ReplayReader reader)
    {
        var s = new ChartSeries();
        if (reader.Length <= 32L << 20 || reader.ChunkMetrics.Count == 0 && reader.Length <= 256L << 20)
        {
            foreach (var t in reader.Ticks())
                foreach (var m in t.Metrics) s.Add(m.Name, t.Tick, m.Value);
        }
        else
        {
            for (int i = 0; i < reader.ChunkMetrics.Count; i++)
                foreach (var m in reader.ChunkMetrics[i]) s.Add(m.Name, reader.Chunks[i].LastTick, m.Value);
        }
        return s;
    }

    private void Add(string name, long tick, double value)
    {
        if (!Series.TryGetValue(name, out var list)) Series[name] = list = new List<(long, double)>();
        if (list.Count > 0 && list[^1].Tick == tick) list[^1] = (tick, value);
        else list.Add((tick, value));
    }

    /// <summary>The metrics to chart: reward, solve rate and loss when recorded (and a learning run's KL and entropy),
    /// otherwise the first three recorded.</summary>
    public IReadOnlyList<string> Preferred()
    {
        string[] wanted = ["reward", "solve_rate", "loss", "kl", "entropy"];
        var have = wanted.Where(Series.ContainsKey).ToList();
        foreach (var name in Series.Keys)
        {
            if (have.Count >= 3) break;
            if (!have.Contains(name)) have.Add(name);
        }
        return have;
    }
}
