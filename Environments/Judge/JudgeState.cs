namespace Sim.Environments.Judge;

/// <summary>The answer drafted so far (the steps joined with spaces).</summary>
public sealed class JudgeState : EnvState
{
    /// <summary>Makes a state.</summary>
    public JudgeState(string draft) => Draft = draft;

    /// <summary>The draft.</summary>
    public string Draft { get; }

    /// <inheritdoc />
    public override string ToString() => Draft.Length > 80 ? $"draft of {Draft.Length} chars: {Draft[..80]}..." : $"draft: {Draft}";
}
