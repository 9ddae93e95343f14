namespace Sim.Environments.Judge;

/// <summary>A judge problem: the topic and how many of its key points the rubric counts (difficulty).</summary>
/// <param name="Topic">The question and its rubric.</param>
/// <param name="Required">How many key points a perfect answer must make (the first ones of the topic).</param>
public sealed record JudgeSpec(JudgeTopic Topic, int Required);
