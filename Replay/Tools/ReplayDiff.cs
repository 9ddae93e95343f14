namespace Sim.Replay;

/// <summary>The first tick at which two replays differ.</summary>
/// <param name="Identical">True when every tick record matches.</param>
/// <param name="Tick">The first differing tick (the smaller tick number when the tick sequences diverge), or null.</param>
/// <param name="Detail">What differs there, in words.</param>
/// <param name="HeaderDetail">Differences in the headers (seed, config, code version), or null.</param>
public sealed record ReplayDiff(bool Identical, long? Tick, string Detail, string? HeaderDetail)
{
    /// <summary>Compares <paramref name="a"/> and <paramref name="b"/> tick by tick, stopping at the first difference.</summary>
    public static ReplayDiff Compare(ReplayReader a, ReplayReader b)
    {
        string? header = null;
        var ha = a.Header;
        var hb = b.Header;
        var parts = new List<string>();
        if (ha.Seed != hb.Seed) parts.Add($"seed {ha.Seed} vs {hb.Seed}");
        if (ha.ConfigJson != hb.ConfigJson) parts.Add("config differs");
        if (ha.CodeVersion != hb.CodeVersion) parts.Add($"code version {ha.CodeVersion} vs {hb.CodeVersion}");
        if (ha.Source != hb.Source) parts.Add($"source {ha.Source} vs {hb.Source}");
        if (parts.Count > 0) header = string.Join("; ", parts);

        using var ea = a.Ticks().GetEnumerator();
        using var eb = b.Ticks().GetEnumerator();
        // Keyframes fall at chunk boundaries, which may differ between writers: compare reconstructed deltas, not
        // keyframe flags, by comparing the full state after each tick when either side is a keyframe.
        var sa = new ReplayState(ha);
        var sb = new ReplayState(hb);
        while (true)
        {
            bool na = ea.MoveNext(), nb = eb.MoveNext();
            if (!na && !nb) return new ReplayDiff(true, null, "identical", header);
            if (!na) return new ReplayDiff(false, eb.Current.Tick, $"A ends at tick {a.LastTick}; B goes on", header);
            if (!nb) return new ReplayDiff(false, ea.Current.Tick, $"B ends at tick {b.LastTick}; A goes on", header);
            var ta = ea.Current;
            var tb = eb.Current;
            if (ta.Tick != tb.Tick)
                return new ReplayDiff(false, Math.Min(ta.Tick, tb.Tick), $"A records tick {ta.Tick} where B records tick {tb.Tick}", header);
            sa.Apply(ta);
            sb.Apply(tb);
            string? what = ta.Keyframe == tb.Keyframe ? RecordDifference(ta, tb) : StateDifference(sa, sb);
            if (what is not null) return new ReplayDiff(false, ta.Tick, what, header);
        }
    }

    private static string? RecordDifference(TickRecord a, TickRecord b)
    {
        if (!a.Created.SequenceEqual(b.Created)) return "entities created differ";
        if (!a.Destroyed.SequenceEqual(b.Destroyed)) return "entities destroyed differ";
        if (a.Components.Count != b.Components.Count) return "component changes differ";
        for (int i = 0; i < a.Components.Count; i++)
        {
            var x = a.Components[i];
            var y = b.Components[i];
            if (x.Component != y.Component || !x.Entities.AsSpan().SequenceEqual(y.Entities)) return $"component {x.Component} changes differ";
            if (!x.Values.AsSpan().SequenceEqual(y.Values))
            {
                int k = 0;
                while (k < Math.Min(x.Values.Length, y.Values.Length) && x.Values[k].Equals(y.Values[k])) k++;
                int stride = x.Entities.Length == 0 ? 1 : Math.Max(1, x.Values.Length / x.Entities.Length);
                int entity = k / stride < x.Entities.Length ? x.Entities[k / stride] : -1;
                return $"component {x.Component} of entity {entity} differs";
            }
        }
        if (!a.Rewards.SequenceEqual(b.Rewards)) return "rewards differ";
        if (!a.TreeNodes.SequenceEqual(b.TreeNodes)) return "search-tree nodes differ";
        if (!a.TreesCleared.SequenceEqual(b.TreesCleared)) return "cleared trees differ";
        if (!a.Metrics.SequenceEqual(b.Metrics)) return "metrics differ";
        if (!a.Episodes.SequenceEqual(b.Episodes)) return "episodes differ";
        return null;
    }

    private static string? StateDifference(ReplayState a, ReplayState b)
    {
        if (a.Entities.Count != b.Entities.Count || a.Entities.Any(kv => !b.Entities.TryGetValue(kv.Key, out var v) || v != kv.Value))
            return "live entities differ";
        foreach (var c in a.Header.Components)
        {
            var x = a.Component(c.Name)!;
            var y = b.Component(c.Name);
            if (y is null || x.Count != y.Count) return $"component {c.Name} differs";
            var ents = x.Entities;
            for (int i = 0; i < ents.Length; i++)
                if (!x.Get(ents[i]).SequenceEqual(y.Get(ents[i]))) return $"component {c.Name} of entity {ents[i]} differs";
        }
        if (!a.Metrics.SequenceEqual(b.Metrics)) return "metrics differ";
        if (a.Trees.Count != b.Trees.Count) return "search trees differ";
        return null;
    }
}
