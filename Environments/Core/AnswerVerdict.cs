namespace Sim.Environments;

/// <summary>
/// The verdict on a final answer, returned by <see cref="IEnvironment.CheckAnswer"/>.
/// </summary>
/// <param name="Kind"><see cref="VerdictKind.Ok"/> when the answer is correct; otherwise why it is not.</param>
/// <param name="Reward">The outcome reward, in [0, 1]: 1 for a correct answer in every verifiable environment.</param>
/// <param name="Reason">One line for people, e.g. <c>"(8-3)*4+4 = 24"</c> or <c>"2 of 5 tests failed"</c>.</param>
/// <param name="Score">
/// Partial credit in [0, 1] (for <c>code</c>, the fraction of hidden tests passed); equals <paramref name="Reward"/> where
/// the environment has no partial credit.
/// </param>
/// <param name="GoldReward">
/// The true reward when <paramref name="Reward"/> comes from a proxy (the simulated <c>judge</c>); null when
/// <paramref name="Reward"/> is exact. Comparing the two measures over-optimisation of the proxy.
/// </param>
public readonly record struct AnswerVerdict(VerdictKind Kind, double Reward, string Reason, double Score, double? GoldReward = null)
{
    /// <summary>True when the answer was judged correct.</summary>
    public bool Correct => Kind == VerdictKind.Ok;

    /// <summary>A correct answer: reward 1.</summary>
    public static AnswerVerdict Right(string reason) => new(VerdictKind.Ok, 1.0, reason, 1.0);

    /// <summary>A rejected answer: reward 0.</summary>
    public static AnswerVerdict Wrong(VerdictKind kind, string reason, double score = 0.0) => new(kind, 0.0, reason, score);
}
