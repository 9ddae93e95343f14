namespace Sim.Environments.Code;

/// <summary>The last submission that passed every hidden test, or none yet.</summary>
public sealed class CodeState : EnvState
{
    /// <summary>Makes a state.</summary>
    public CodeState(string? passing) => Passing = passing;

    /// <summary>The last fully passing submission, or null.</summary>
    public string? Passing { get; }

    /// <inheritdoc />
    public override string ToString() => Passing is null ? "no passing submission yet" : $"passing submission ({Passing.Length} chars)";
}
