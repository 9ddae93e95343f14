using System.Text.Json;

namespace Sim.Replay;

/// <summary>
/// Writes one JSON object per finished episode, one per line, with the field names TRL's trainers read
/// (<c>prompt</c>, <c>completion</c>, <c>reward</c>, and <c>label</c> for KTO-style binary feedback) plus where the
/// episode came from. Keys are written in a fixed order so the output is deterministic.
/// </summary>
public static class ReplayExport
{
    /// <summary>Writes the episodes of <paramref name="reader"/> to <paramref name="output"/>; returns how many.</summary>
    public static long WriteJsonl(ReplayReader reader, Stream output)
    {
        long count = 0;
        var labels = new Dictionary<int, string?>();
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
        foreach (var t in reader.Ticks())
        {
            foreach (var c in t.Created) if (c.Label is not null) labels[c.Id] = c.Label;
            foreach (var e in t.Episodes)
            {
                w.WriteStartObject();
                w.WriteString("prompt", e.Prompt);
                w.WriteString("completion", e.Completion);
                w.WriteNumber("reward", e.Reward);
                w.WriteBoolean("label", e.Solved);
                w.WriteNumber("episode", e.Episode);
                w.WriteNumber("agent", e.Agent);
                if (labels.GetValueOrDefault(e.Agent) is { } agentLabel) w.WriteString("agent_name", agentLabel);
                w.WriteNumber("task", e.Task);
                w.WriteNumber("tick", t.Tick);
                w.WriteNumber("compute", e.Compute);
                w.WriteNumber("seed", reader.Header.Seed);
                w.WriteEndObject();
                w.Flush();
                output.WriteByte((byte)'\n');
                w.Reset();
                count++;
            }
        }
        return count;
    }

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
