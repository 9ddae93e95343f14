namespace Sim.Agents.Evaluation;

/// <summary>What <see cref="SampleEval.Run"/> measured, each figure averaged over problems.</summary>
/// <param name="Problems">Problems evaluated.</param>
/// <param name="SamplesPerProblem">Attempts per problem: n = max(k).</param>
/// <param name="PassAtK">For each k, ascending: the unbiased pass@k (<see cref="SampleEval.PassAtK"/>) with n attempts.</param>
/// <param name="MajorityAtK">For each k, ascending: maj@k over the first k attempts (<see cref="SampleEval.MajorityAtK"/>).</param>
/// <param name="MeanTokens">Tokens per attempt (the sum of its lines' token counts).</param>
/// <param name="MeanLines">Lines per attempt, every kind counted.</param>
public sealed record SampleEvalResult(
    int Problems,
    int SamplesPerProblem,
    IReadOnlyList<(int K, double Pass)> PassAtK,
    IReadOnlyList<(int K, double Majority)> MajorityAtK,
    double MeanTokens,
    double MeanLines);
