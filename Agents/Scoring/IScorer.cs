namespace Sim.Agents.Scoring;

/// <summary>
/// Scores trajectories, batch first: reward models (outcome, process) and value heads. One call scores every
/// trajectory that needs it in a tick; <c>output[i]</c> receives the scores of <c>batch[i]</c>.
/// </summary>
public interface IScorer
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>What the scores mean.</summary>
    ScorerKind Kind { get; }

    /// <summary>Scores every trajectory of <paramref name="batch"/> into <paramref name="output"/>.</summary>
    void Score(IReadOnlyList<ScoringInput> batch, TrajectoryScore[] output);
}
