using System.Text.Json.Serialization;

namespace Sim.Systems.Export;

/// <summary>
/// A step-wise PRM row in TRL's format (prompt, completions, labels): one complete trajectory of a search tree, its lines,
/// and per line the environment's exact label (a valid step after which the task is still solvable, or a correct answer).
/// </summary>
public sealed class PrmRow
{
    /// <summary>The problem as the policy sees it.</summary>
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";

    /// <summary>The trajectory's lines.</summary>
    [JsonPropertyName("completions")] public List<string> Completions { get; set; } = new();

    /// <summary>One label per line.</summary>
    [JsonPropertyName("labels")] public List<bool> Labels { get; set; } = new();
}
