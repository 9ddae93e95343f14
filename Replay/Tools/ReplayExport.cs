using System.Text.Json;

namespace Sim.Replay;

/// <summary>
/// Writes a replay's tick records as JSONL. (Episodes as training rows go through <c>sim data export --replay</c>.)
/// </summary>
public static class ReplayExport
{
    /// <summary>
    /// Writes every tick record as one JSON object per line, field names spelled out. This is what a JSONL recorder
    /// would write, and what <c>sim bench replay</c> compares the replay's size against.
    /// </summary>
    public static void WriteTicksJsonl(IEnumerable<TickRecord> ticks, Stream output)
    {
        using var w = new Utf8JsonWriter(output);
        foreach (var t in ticks)
        {
            JsonSerializer.Serialize(w, new
            {
                tick = t.Tick, keyframe = t.Keyframe,
                created = t.Created.Select(c => new { id = c.Id, kind = c.Kind.ToString(), label = c.Label }),
                destroyed = t.Destroyed,
                components = t.Components.Select(b => new { component = b.Component, entities = b.Entities, values = b.Values }),
                rewards = t.Rewards.Select(r => new { agent = r.Agent, value = r.Value, kind = r.Kind.ToString(), node = r.Node }),
                tree = t.TreeNodes.Select(n => new { agent = n.Agent, node = n.Node, parent = n.Parent, step = n.Step, visits = n.Visits, value = n.Value, reward = n.Reward, chosen = n.Chosen }),
                trees_cleared = t.TreesCleared,
                metrics = t.Metrics.Select(m => new { name = m.Name, value = m.Value }),
                episodes = t.Episodes.Select(e => new { agent = e.Agent, episode = e.Episode, task = e.Task, prompt = e.Prompt, completion = e.Completion, reward = e.Reward, solved = e.Solved, compute = e.Compute }),
            });
            w.Flush();
            output.WriteByte((byte)'\n');
            w.Reset();
        }
    }
}
