namespace Sim.Environments.Judge;

/// <summary>What the judge says about one answer, next to the hidden truth.</summary>
/// <param name="Judge">The judge's score in [0, 1]: gold quality plus noise and biases.</param>
/// <param name="Gold">The hidden gold quality in [0, 1]: the fraction of the rubric's key points the answer makes.</param>
public readonly record struct JudgeScore(double Judge, double Gold);
