namespace Sim.Systems.Search;

/// <summary>The profile of a policy: coverage, its fitted law, and how attempts go wrong.</summary>
/// <param name="PassAtK">pass@k (the unbiased estimator, averaged over problems) for k = 1, 2, 4, ... up to the samples.</param>
/// <param name="FitA">a of the exponentiated power law pass@k ≈ exp(a·k^b) (Brown et al. 2024), fitted by least squares
/// on log(−log pass@k) against log k over the k where 0 &lt; pass@k &lt; 1.</param>
/// <param name="FitB">b of that law.</param>
/// <param name="FitR2">R² of that fit (NaN with fewer than three usable points).</param>
/// <param name="FirstErrors">The share of failed attempts whose first mistake was each kind.</param>
/// <param name="AllErrors">The share of every mistake made, by kind.</param>
/// <param name="MeanProblemSkill">The mean over problems of the share of attempts that succeeded (pass@1).</param>
/// <param name="UnsolvedShare">The share of problems no attempt solved.</param>
public sealed record PolicyProfileResult(
    IReadOnlyList<(int K, double Pass)> PassAtK,
    double FitA,
    double FitB,
    double FitR2,
    IReadOnlyDictionary<string, double> FirstErrors,
    IReadOnlyDictionary<string, double> AllErrors,
    double MeanProblemSkill,
    double UnsolvedShare);
