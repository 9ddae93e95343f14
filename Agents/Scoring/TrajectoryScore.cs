namespace Sim.Agents.Scoring;

/// <summary>Scores of one trajectory.</summary>
/// <param name="StepScores">One score per line, in [0, 1] (for an ORM, its outcome estimate after each line).</param>
/// <param name="Outcome">The outcome estimate after the last line.</param>
public sealed record TrajectoryScore(float[] StepScores, float Outcome);
