namespace Sim.Environments.Ecs;

/// <summary>
/// The component the policy stage writes: a step (or final answer) waiting for verification. The
/// <see cref="EnvironmentSystem"/> verifies every ready one in one pass per tick and clears <see cref="Ready"/>.
/// </summary>
public struct PendingStep
{
    /// <summary>The step or answer text.</summary>
    public string? Text;

    /// <summary>
    /// The state the step is taken from. Null means the entity's own chain (<see cref="EnvEpisode.State"/>), which the
    /// system then advances; a search that branches sets it to the node's parent state and keeps the result itself.
    /// </summary>
    public EnvState? From;

    /// <summary>True when <see cref="Text"/> is a final answer rather than a step.</summary>
    public bool IsAnswer;

    /// <summary>True while the step waits for verification.</summary>
    public bool Ready;

    /// <summary>A step to verify from <paramref name="from"/> (null: the entity's own chain).</summary>
    public static PendingStep Step(string text, EnvState? from = null) => new() { Text = text, From = from, Ready = true };

    /// <summary>A final answer to verify.</summary>
    public static PendingStep Answer(string text) => new() { Text = text, IsAnswer = true, Ready = true };
}
