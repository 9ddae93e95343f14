using System.Text.Json.Nodes;
using Sim.Environments.Exact;

namespace Sim.Environments;

/// <summary>
/// Helpers for reading problem metadata. Every failure is an <see cref="InvalidDataException"/> naming the field, so
/// a corrupt problem file gives a one-line error (exit code 2 in the CLI).
/// </summary>
public static class Metadata
{
    /// <summary>The node at <paramref name="key"/>, or an error naming it.</summary>
    public static JsonNode Required(JsonObject meta, string key) =>
        meta.TryGetPropertyValue(key, out var n) && n is not null ? n : throw new InvalidDataException($"metadata lacks \"{key}\"");

    /// <summary>An exact number given as a JSON number or a string such as "3/4".</summary>
    public static Rational Number(JsonNode node, string what)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue(out string? s) && RationalParser.TryParse(s, out var r)) return r;
            if (v.TryGetValue(out long l)) return l;
            string raw = node.ToJsonString();
            if (RationalParser.TryParse(raw, out var r2)) return r2;
        }
        throw new InvalidDataException($"metadata \"{what}\" is not an exact number: {Clip(node.ToJsonString())}");
    }

    /// <summary>An integer.</summary>
    public static long Integer(JsonNode node, string what) =>
        node is JsonValue v && v.TryGetValue(out long l) ? l : throw new InvalidDataException($"metadata \"{what}\" is not an integer");

    /// <summary>An optional boolean.</summary>
    public static bool Bool(JsonObject meta, string key, bool fallback) =>
        !meta.TryGetPropertyValue(key, out var n) || n is null ? fallback
        : n is JsonValue v && v.TryGetValue(out bool b) ? b : throw new InvalidDataException($"metadata \"{key}\" is not true or false");

    /// <summary>An optional string.</summary>
    public static string? String(JsonObject meta, string key) =>
        meta.TryGetPropertyValue(key, out var n) && n is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>An array of exact numbers, with a length limit.</summary>
    public static Rational[] Numbers(JsonObject meta, string key, int min, int max)
    {
        if (Required(meta, key) is not JsonArray arr) throw new InvalidDataException($"metadata \"{key}\" is not an array");
        if (arr.Count < min || arr.Count > max) throw new InvalidDataException($"metadata \"{key}\" has {arr.Count} items; allowed {min} to {max}");
        var result = new Rational[arr.Count];
        for (int i = 0; i < arr.Count; i++) result[i] = Number(arr[i] ?? throw new InvalidDataException($"metadata \"{key}\" holds null"), key);
        return result;
    }

    /// <summary>An exact number as JSON: a number when it is an integer that fits, otherwise a string such as "3/4".</summary>
    public static JsonNode ToJson(Rational r) => r.TryGetInt64(out long l) && Math.Abs(l) < (1L << 53) ? JsonValue.Create(l) : JsonValue.Create(r.ToString());

    /// <summary>The difficulty recorded in metadata, or 0.</summary>
    public static int Difficulty(JsonObject meta) =>
        meta.TryGetPropertyValue("difficulty", out var n) && n is JsonValue v && v.TryGetValue(out int d) ? d : 0;

    /// <summary>The seed recorded in metadata, or null.</summary>
    public static ulong? Seed(JsonObject meta) =>
        meta.TryGetPropertyValue("seed", out var n) && n is JsonValue v && v.TryGetValue(out ulong s) ? s : null;

    /// <summary>The metadata minus the bookkeeping keys (env, seed, difficulty): the environment's own parameters.</summary>
    public static JsonObject Parameters(JsonObject meta)
    {
        var o = new JsonObject();
        foreach (var (k, v) in meta)
            if (k is not ("env" or "seed" or "difficulty")) o[k] = v?.DeepClone();
        return o;
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
