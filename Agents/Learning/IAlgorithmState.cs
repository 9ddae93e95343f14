using System.Text.Json.Nodes;

namespace Sim.Agents.Learning;

/// <summary>An algorithm that carries state between updates (a moving baseline) and saves it in checkpoints.</summary>
public interface IAlgorithmState
{
    /// <summary>The state as JSON.</summary>
    JsonNode SaveState();

    /// <summary>Restores what <see cref="SaveState"/> returned.</summary>
    void LoadState(JsonNode state);
}
