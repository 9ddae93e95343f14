using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sim.Agents.Data;

/// <summary>Reads and writes JSONL datasets of <see cref="PromptCompletion"/> rows (TRL field names <c>prompt</c>, <c>completion</c>).</summary>
public static class JsonlDataset
{
    // Relaxed escaping keeps '+', '<' and non-ASCII text readable in the file; the output is still valid JSON.
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads every row. Extra fields are ignored.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A line is not a JSON object with string <c>prompt</c> and <c>completion</c>; the message names the line.</exception>
    public static List<PromptCompletion> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset '{path}' not found");
        var rows = new List<PromptCompletion>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonNode? node;
            try { node = JsonNode.Parse(line); }
            catch (JsonException ex) { throw new InvalidDataException($"{path}:{lineNo}: not JSON ({ex.Message})"); }
            if (node is not JsonObject o) throw new InvalidDataException($"{path}:{lineNo}: not a JSON object");
            string? prompt = o["prompt"] is JsonValue p && p.TryGetValue<string>(out var ps) ? ps : null;
            string? completion = o["completion"] is JsonValue c && c.TryGetValue<string>(out var cs) ? cs : null;
            if (prompt is null || completion is null)
                throw new InvalidDataException($"{path}:{lineNo}: needs string fields 'prompt' and 'completion'");
            rows.Add(new PromptCompletion(prompt, completion));
        }
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no rows");
        return rows;
    }

    /// <summary>
    /// The difficulties of the problems a dataset's rows were made from (<c>problem.metadata.difficulty</c>, as
    /// <c>sim data demos</c> writes it), with how many rows each; rows without one are left out.
    /// </summary>
    public static SortedDictionary<int, int> Difficulties(string path)
    {
        var counts = new SortedDictionary<int, int>();
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset '{path}' not found");
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonNode.Parse(line)?["problem"]?["metadata"]?["difficulty"] is JsonValue v && v.TryGetValue<int>(out int d))
                    counts[d] = counts.GetValueOrDefault(d) + 1;
            }
            catch (JsonException) { } // Read reports malformed lines
        }
        return counts;
    }

    /// <summary>Writes rows (with optional extra fields per row) to a file, one JSON object per line, via a temporary file.</summary>
    public static void Write(string path, IEnumerable<(PromptCompletion Row, JsonObject? Extra)> rows)
    {
        string tmp = path + ".tmp";
        using (var w = new StreamWriter(tmp, false, new System.Text.UTF8Encoding(false)))
        {
            w.NewLine = "\n";
            foreach (var (row, extra) in rows)
            {
                var o = new JsonObject { ["prompt"] = row.Prompt, ["completion"] = row.Completion };
                if (extra is not null) foreach (var (k, v) in extra) o[k] = v?.DeepClone();
                w.WriteLine(o.ToJsonString(WriteOptions));
            }
        }
        File.Move(tmp, path, overwrite: true);
    }
}
