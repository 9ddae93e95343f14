namespace Sim.Systems.Learning;

/// <summary>One evaluation of the policy on the held-out problems.</summary>
/// <param name="Version">Policy version evaluated.</param>
/// <param name="HeldOutSolveRate">Greedy solve rate on the held-out problems.</param>
/// <param name="PoolSolveRate">Greedy solve rate on the training pool, when the run has one.</param>
/// <param name="PassAtK">Sampled pass@k (unbiased estimator) by k, when the run samples (<see cref="LearningRunSpec.EvalSamples"/>).</param>
/// <param name="MajAtK">maj@k by k over the same samples.</param>
public sealed record EvalRecord(int Version, double HeldOutSolveRate, double? PoolSolveRate,
    IReadOnlyDictionary<int, double>? PassAtK = null, IReadOnlyDictionary<int, double>? MajAtK = null);
