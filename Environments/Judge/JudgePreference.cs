namespace Sim.Environments.Judge;

/// <summary>A pairwise comparison.</summary>
/// <param name="PrefersFirst">The judge's (sampled) preference for the answer shown first.</param>
/// <param name="ProbabilityFirst">The judge's probability of preferring the first answer (Bradley–Terry, with the position bias).</param>
/// <param name="GoldPrefersFirst">Whether the first answer has the higher gold quality (ties: false).</param>
public readonly record struct JudgePreference(bool PrefersFirst, double ProbabilityFirst, bool GoldPrefersFirst);
