using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sim.Environments;

/// <summary>
/// A problem in the reasoning-gym row shape: <c>{"id", "question", "answer", "metadata"}</c>. This is what
/// <c>sim envs sample --json</c> prints, one per line, and what <see cref="IEnvironment.Load"/> reads back. The
/// metadata of a generated problem holds <c>env</c>, <c>seed</c>, <c>difficulty</c> and the environment's parameters.
/// </summary>
/// <param name="Id">A stable identifier, e.g. <c>countdown-d2-s7</c>.</param>
/// <param name="Question">The prompt text an agent sees.</param>
/// <param name="Answer">The ground truth (one correct answer); agents never read it.</param>
/// <param name="Metadata">The parameters the environment needs to check steps and answers.</param>
public sealed record ProblemRecord(string Id, string Question, string Answer, JsonObject Metadata)
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        // Readable text (+, <, quotes in prose) rather than \u escapes; the output is data, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The environment named in the metadata (<c>metadata.env</c>), or null.</summary>
    public string? EnvName => Metadata.TryGetPropertyValue("env", out var n) && n is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>One line of JSON.</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["id"] = Id,
            ["question"] = Question,
            ["answer"] = Answer,
            ["metadata"] = Metadata.DeepClone(),
        };
        return o.ToJsonString(Compact);
    }

    /// <summary>
    /// Parses one JSON object (a JSONL row, or the whole output of <c>sim envs sample --json</c>).
    /// Throws <see cref="InvalidDataException"/> with a one-line reason when the text is not a problem.
    /// </summary>
    public static ProblemRecord Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"problem is not valid JSON: {ex.Message}");
        }
        if (node is JsonArray arr)
        {
            if (arr.Count != 1) throw new InvalidDataException($"problem JSON is an array of {arr.Count} items; give one problem");
            node = arr[0];
        }
        if (node is not JsonObject obj) throw new InvalidDataException("problem JSON must be an object with id, question, answer and metadata");
        string question = Text(obj, "question");
        string answer = obj.TryGetPropertyValue("answer", out var a) && a is not null
            ? (a is JsonValue av && av.TryGetValue(out string? s) ? s : a.ToJsonString())
            : throw new InvalidDataException("problem JSON lacks \"answer\"");
        string id = obj.TryGetPropertyValue("id", out var i) && i is not null ? (i is JsonValue iv && iv.TryGetValue(out string? si) ? si : i.ToJsonString()) : "";
        var meta = obj.TryGetPropertyValue("metadata", out var m) ? m as JsonObject : null;
        if (meta is null) throw new InvalidDataException("problem JSON lacks a \"metadata\" object");
        return new ProblemRecord(id, question, answer, (JsonObject)meta.DeepClone());
    }

    /// <summary>Reads every non-blank line of a JSONL file; errors name the line.</summary>
    public static List<ProblemRecord> ReadJsonl(TextReader reader)
    {
        var list = new List<ProblemRecord>();
        int lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                list.Add(Parse(line));
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"line {lineNo}: {ex.Message}");
            }
        }
        return list;
    }

    private static string Text(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.TryGetValue(out string? s)
            ? s
            : throw new InvalidDataException($"problem JSON lacks a string \"{key}\"");
}
