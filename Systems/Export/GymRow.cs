using System.Text.Json.Serialization;

namespace Sim.Systems.Export;

/// <summary>A reasoning-gym style row: the question, the ground truth, and the metadata that rebuilds the problem (JSON).</summary>
public sealed class GymRow
{
    /// <summary>The row's id.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    /// <summary>The question.</summary>
    [JsonPropertyName("question")] public string Question { get; set; } = "";

    /// <summary>The ground truth.</summary>
    [JsonPropertyName("answer")] public string Answer { get; set; } = "";

    /// <summary>The metadata object as JSON text (Parquet keeps it as a string column; JSONL writes the object).</summary>
    [JsonPropertyName("metadata")] public string Metadata { get; set; } = "{}";
}
