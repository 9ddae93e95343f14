using System.Text.Json.Serialization;

namespace Sim.Systems.Export;

/// <summary>
/// A TRL DPO row (prompt-chosen-rejected) from a search tree: two sibling lines after the same prefix, the chosen one on
/// the committed path of a solved episode (verified), the rejected one refuted by the verifier.
/// </summary>
public sealed class DpoRow
{
    /// <summary>The problem and the lines before the two siblings.</summary>
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";

    /// <summary>The verified line.</summary>
    [JsonPropertyName("chosen")] public string Chosen { get; set; } = "";

    /// <summary>The refuted sibling.</summary>
    [JsonPropertyName("rejected")] public string Rejected { get; set; } = "";
}
