namespace Sim.Agents.Policies;

/// <summary>
/// The error model of a <see cref="SimulatedPolicy"/>; see its summary for the exact semantics of each field.
/// </summary>
/// <param name="StepErrorRate">ε: the mean chance that an on-track proposal is wrong.</param>
/// <param name="AttemptSkill">p: when set, overrides ε per problem so that a whole attempt of L steps plus the answer
/// succeeds with probability exactly p: ε = 1 − p^(1/(L+1)) (on <c>judge</c>, ε = 1 − p^(1/R), so P(gold = 1) = p).</param>
/// <param name="Calibration">How reported confidence relates to the true chance of being right.</param>
/// <param name="MiscalibrationStrength">The exponent s of over- or under-confidence (s ≥ 1).</param>
/// <param name="ConfidenceConcentration">Concentration c of the per-proposal chance q ~ Beta((1−ε)c, εc); 0 makes
/// q ≡ 1 − ε (every proposal equally likely right, so confidence carries no information).</param>
/// <param name="Repeat">ρ: the chance that each of the K samples after the first copies an earlier sample of the same call
/// (1 − ρ is the diversity).</param>
/// <param name="Reflection">r: the chance that, when the trace is off track, the next line is a correction that retracts
/// the last step.</param>
/// <param name="Verbosity">v: the chance that an on-track proposal is a useless thought line instead of progress (on
/// <c>judge</c>, a padding sentence that lengthens the answer).</param>
/// <param name="Spread">s: how much problems differ in difficulty. Each problem's own attempt success is
/// p_i ~ Beta(p·κ, (1 − p)·κ) with κ = 1/s − 1, around the nominal p (so s is Var[p_i] / (p(1 − p))); 0 makes every
/// problem's p_i = p. The default, 0.55, is fitted to repeated-sampling coverage curves (docs/agents.md).</param>
/// <param name="DeadEnd">d: the share of on-track mistakes that are valid steps into a dead end (accepted by the
/// verifier, no solution below), where the environment can list its steps (<c>IStepEnumerator</c>) and one exists;
/// otherwise the mistake is a slip.</param>
/// <param name="FormatError">f: the share of on-track mistakes that are format errors (a line the environment cannot
/// parse). The rest, 1 − d − f, are slips: the correct line with one number changed (a wrong final answer, on the
/// answer line).</param>
/// <param name="WrongAnswers">w: a wrong final answer changes the answer's last number by a uniform nonzero offset in
/// [−w, w] (so wrong answers are many and varied, as a real policy's are, and a reward model's per-answer bias has many
/// chances); 0 draws it from the four fixed variants of a slip (+1, −1, +10, ×2).</param>
public sealed record SimulatedPolicyConfig(
    double StepErrorRate = 0.1,
    double? AttemptSkill = null,
    Calibration Calibration = Calibration.Calibrated,
    double MiscalibrationStrength = 2.0,
    double ConfidenceConcentration = 0.0,
    double Repeat = 0.0,
    double Reflection = 0.0,
    double Verbosity = 0.0,
    double Spread = SimulatedPolicyConfig.DefaultSpread,
    double DeadEnd = SimulatedPolicyConfig.DefaultDeadEnd,
    double FormatError = SimulatedPolicyConfig.DefaultFormatError,
    int WrongAnswers = SimulatedPolicyConfig.DefaultWrongAnswers)
{
    /// <summary>The default range of wrong final answers.</summary>
    public const int DefaultWrongAnswers = 40;

    /// <summary>The default per-problem difficulty spread s.</summary>
    public const double DefaultSpread = 0.55;

    /// <summary>The default share of mistakes that are dead ends.</summary>
    public const double DefaultDeadEnd = 0.3;

    /// <summary>The default share of mistakes that are format errors.</summary>
    public const double DefaultFormatError = 0.05;

    /// <summary>The same model with every problem equally hard, every mistake a slip and four wrong answers: the i.i.d. policy whose
    /// best-of-N success is exactly 1 − (1 − p)^N.</summary>
    public SimulatedPolicyConfig Uniform() => this with { Spread = 0, DeadEnd = 0, FormatError = 0, WrongAnswers = 0 };

    /// <summary>Checks ranges; throws <see cref="ArgumentException"/> with the reason.</summary>
    public SimulatedPolicyConfig Validate()
    {
        static void Unit(double x, string name, bool openTop = false)
        {
            if (!(x >= 0 && (openTop ? x < 1 : x <= 1))) throw new ArgumentException($"{name} must be in [0, 1{(openTop ? ")" : "]")}");
        }
        Unit(StepErrorRate, nameof(StepErrorRate));
        if (AttemptSkill is { } p) Unit(p, nameof(AttemptSkill));
        if (!(MiscalibrationStrength >= 1)) throw new ArgumentException("MiscalibrationStrength must be >= 1");
        if (!(ConfidenceConcentration >= 0)) throw new ArgumentException("ConfidenceConcentration must be >= 0");
        Unit(Repeat, nameof(Repeat));
        Unit(Reflection, nameof(Reflection));
        Unit(Verbosity, nameof(Verbosity), openTop: true);
        Unit(Spread, nameof(Spread), openTop: true);
        Unit(DeadEnd, nameof(DeadEnd));
        Unit(FormatError, nameof(FormatError));
        if (DeadEnd + FormatError > 1) throw new ArgumentException("DeadEnd + FormatError must be at most 1");
        if (WrongAnswers < 0 || WrongAnswers > 1_000_000) throw new ArgumentException("WrongAnswers must be in 0..1000000");
        return this;
    }
}
