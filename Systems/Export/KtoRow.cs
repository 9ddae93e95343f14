using System.Text.Json.Serialization;

namespace Sim.Systems.Export;

/// <summary>
/// A TRL KTO row (unpaired preference: prompt, completion, label): a finished episode's committed trajectory, labelled
/// desirable when its answer was verified correct, with the outcome reward beside it.
/// </summary>
public sealed class KtoRow
{
    /// <summary>The problem as the policy sees it (from a replay: the problem statement it recorded).</summary>
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";

    /// <summary>The committed trajectory, one line each, ending with the answer line.</summary>
    [JsonPropertyName("completion")] public string Completion { get; set; } = "";

    /// <summary>True when the answer was verified correct.</summary>
    [JsonPropertyName("label")] public bool Label { get; set; }

    /// <summary>The episode's outcome reward (shaping included).</summary>
    [JsonPropertyName("reward")] public double Reward { get; set; }
}
