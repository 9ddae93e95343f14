using System.Text.Json;
using Sim.Agents.Learning;
using Sim.Agents.Learning.Learners;

namespace Sim.Cli.Commands;

/// <summary>Reads a DPO pair file (JSONL rows with prompt, chosen and rejected, as TRL and <c>sim data export --format
/// trl-dpo</c> write them) into step pairs for the transformer learner.</summary>
public static class PairFile
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="UsageException"/> naming the first bad line.</summary>
    public static List<PreferencePair> Read(string path, TransformerLearner learner)
    {
        var pairs = new List<PreferencePair>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            string prompt, chosen, rejected;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                prompt = Field(root, "prompt");
                chosen = Field(root, "chosen");
                rejected = Field(root, "rejected");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new UsageException($"{path}:{line}: not a pair row ({SimApp.FirstLine(e.Message)}); each line needs string fields prompt, chosen and rejected");
            }
            try { pairs.Add(new PreferencePair(learner.Encode(prompt, chosen), learner.Encode(prompt, rejected))); }
            catch (ArgumentException e) { throw new UsageException($"{path}:{line}: {e.Message}"); }
        }
        if (pairs.Count == 0) throw new UsageException($"{path}: no pairs");
        return pairs;
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new KeyNotFoundException($"no string field '{name}'");
}
