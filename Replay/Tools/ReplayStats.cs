namespace Sim.Replay;

/// <summary>Reward, solve rate and compute per agent and overall, computed in one pass over a replay.</summary>
public sealed class ReplayStats
{
    /// <summary>Per-agent rows, by agent id.</summary>
    public SortedDictionary<int, AgentStats> Agents { get; } = new();

    /// <summary>All agents together.</summary>
    public AgentStats Overall { get; } = new() { Agent = -1, Label = "overall" };

    /// <summary>Ticks read.</summary>
    public long Ticks { get; private set; }

    /// <summary>First and last tick.</summary>
    public long FirstTick { get; private set; }

    /// <summary>Last tick read.</summary>
    public long LastTick { get; private set; }

    /// <summary>Metric values at the last tick.</summary>
    public SortedDictionary<string, double> FinalMetrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Most entities alive at once.</summary>
    public int PeakEntities { get; private set; }

    /// <summary>Reads every tick of <paramref name="reader"/>.</summary>
    public static ReplayStats Compute(ReplayReader reader)
    {
        var s = new ReplayStats();
        var labels = new Dictionary<int, string?>();
        var alive = new HashSet<int>();
        foreach (var t in reader.Ticks())
        {
            if (s.Ticks == 0) s.FirstTick = t.Tick;
            s.Ticks++;
            s.LastTick = t.Tick;
            if (t.Keyframe) alive.Clear();
            foreach (int d in t.Destroyed) alive.Remove(d);
            foreach (var c in t.Created)
            {
                alive.Add(c.Id);
                if (c.Kind == EntityKind.Agent) labels[c.Id] = c.Label;
            }
            s.PeakEntities = Math.Max(s.PeakEntities, alive.Count);
            foreach (var r in t.Rewards) { s.Row(r.Agent, labels).Rewards++; s.Overall.Rewards++; }
            foreach (var e in t.Episodes) { s.Row(e.Agent, labels).Add(e); s.Overall.Add(e); }
            foreach (var m in t.Metrics) s.FinalMetrics[m.Name] = m.Value;
        }
        return s;
    }

    private AgentStats Row(int agent, Dictionary<int, string?> labels)
    {
        if (!Agents.TryGetValue(agent, out var row)) Agents[agent] = row = new AgentStats { Agent = agent };
        row.Label ??= labels.GetValueOrDefault(agent);
        return row;
    }
}
