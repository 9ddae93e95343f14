using System.Text.Json.Serialization;

namespace Sim.Systems.Export;

/// <summary>A TRL SFT row (prompt-completion): a solved episode's prompt and its committed trajectory.</summary>
public sealed class SftRow
{
    /// <summary>The problem as the policy sees it.</summary>
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";

    /// <summary>The committed trajectory, one line each, ending with the answer line.</summary>
    [JsonPropertyName("completion")] public string Completion { get; set; } = "";
}
