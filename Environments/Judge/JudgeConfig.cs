namespace Sim.Environments.Judge;

/// <summary>
/// How the simulated judge departs from the gold quality. Every bias is additive on the [0, 1] score scale, and the
/// score is clamped to [0, 1]. Set everything to zero for a perfect judge.
/// </summary>
public sealed record JudgeConfig
{
    /// <summary>Standard deviation of the judge's noise, fixed per (problem, answer) so the same answer always gets the same score.</summary>
    public double Noise { get; init; } = 0.08;

    /// <summary>Score added per 100 characters of answer: the length bias (verbosity is rewarded).</summary>
    public double LengthBias { get; init; } = 0.04;

    /// <summary>Score added to the answer shown first in a pairwise comparison: the position bias.</summary>
    public double PositionBias { get; init; } = 0.05;

    /// <summary>Score added per flattering keyword (see <see cref="Keywords"/>): the keyword / sycophancy bias.</summary>
    public double KeywordBias { get; init; } = 0.1;

    /// <summary>Score added per phrase of the judge's own style (see <see cref="StylePhrases"/>): self-preference, the
    /// judge rewarding answers written the way it writes.</summary>
    public double StyleBias { get; init; } = 0.06;

    /// <summary>The phrases of the judge's own style.</summary>
    public IReadOnlyList<string> StylePhrases { get; init; } = ["in summary", "put simply", "in short", "to sum up", "the key point is"];

    /// <summary>The keywords the judge is swayed by.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = ["great question", "certainly", "absolutely", "you're right", "as an expert", "rigorous"];

    /// <summary>Scale of the Bradley–Terry preference: P(A over B) = σ((score A − score B) / Temperature).</summary>
    public double Temperature { get; init; } = 0.1;

    /// <summary>
    /// The judge accepts an answer (verdict <see cref="VerdictKind.Ok"/>, "correct") when its score reaches this; below it
    /// the verdict is <see cref="VerdictKind.WrongAnswer"/>. Either way the outcome reward is the judge's score. Searches
    /// guided by the verifier stop at the first accepted answer, so a lenient threshold (or a biased judge) lets
    /// answers of low gold quality through: the over-optimisation this environment exists to show.
    /// </summary>
    public double AcceptScore { get; init; } = 0.9;

    /// <summary>Seed of the judge's noise (a different judge is a different seed).</summary>
    public ulong Seed { get; init; } = 7;
}
