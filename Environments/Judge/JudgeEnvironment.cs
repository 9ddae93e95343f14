using System.Text.Json.Nodes;
using Sim.Engine;

namespace Sim.Environments.Judge;

/// <summary>
/// A simulated judge for free-form answers: the reward source when no verifier exists. Every answer has a hidden gold
/// quality (the fraction of the rubric's key points it makes); the judge reports a score made from that quality plus
/// configurable noise and biases (length, position, keyword / sycophancy: <see cref="JudgeConfig"/>), and pairwise
/// preferences. It always reports the gold score too (<see cref="AnswerVerdict.GoldReward"/>), so users can measure
/// over-optimisation of the judge.
/// <para><b>Observation.</b> The question; the state is the draft so far.</para>
/// <para><b>Step.</b> One more sentence (or paragraph) of the answer, appended to the draft. Always valid unless empty.</para>
/// <para><b>Process reward</b> in [0, 1]: the judge's score of the draft so far. <see cref="StepVerdict.SolvableFromHere"/> is Unknown.</para>
/// <para><b>Answer.</b> The whole answer; the outcome reward is the judge's score, with the gold score beside it. The
/// verdict kind is Ok ("correct") when the judge accepts it (score at least <see cref="JudgeConfig.AcceptScore"/>),
/// WrongAnswer below that, Malformed for an empty answer. Solve rates on this environment are therefore judge
/// acceptance rates; the gold reward says how good the accepted answers really are.</para>
/// <para><b>Episode end.</b> Only by submitting an answer. <b>Difficulty</b> 1–5: the rubric counts difficulty + 1 key points.</para>
/// </summary>
public sealed class JudgeEnvironment : TaskEnvironment<JudgeSpec, JudgeState>, IRubricGraded, IConfigurableEnvironment
{
    /// <summary>Makes a judge with the default biases.</summary>
    public JudgeEnvironment() : this(new JudgeConfig()) { }

    /// <summary>Makes a judge with the given biases.</summary>
    public JudgeEnvironment(JudgeConfig config) => Config = config;

    /// <summary>The judge's noise and biases.</summary>
    public JudgeConfig Config { get; }

    /// <inheritdoc />
    public override string Name => "judge";

    /// <inheritdoc />
    public override string Description => "free-form answers scored by a simulated judge (noise fixed per answer; length, position, keyword and own-style biases) next to a hidden gold quality; with its default settings it accepts the reference answers of 38 of its 40 rubrics";

    /// <inheritdoc />
    public override DifficultySpec Difficulty { get; } = new(1, 5, 2, "the rubric counts difficulty + 1 key points");

    /// <inheritdoc />
    public override Problem Sample(ulong seed, int difficulty)
    {
        Difficulty.Check(difficulty);
        var rng = EnvRandom.For(Name, seed, difficulty);
        var topic = JudgeTopic.All[rng.NextInt(JudgeTopic.All.Count)];
        return Make(new JudgeSpec(topic, Math.Min(difficulty + 1, topic.KeyPoints.Count)), $"judge-{topic.Id}-d{difficulty}-s{seed}", difficulty, seed);
    }

    private Problem Make(JudgeSpec spec, string id, int difficulty, ulong? seed) =>
        new(Name, id, spec.Topic.Question + " Answer in a few sentences.", Reference(spec), difficulty, seed,
            new JsonObject { ["topic"] = spec.Topic.Id, ["required"] = spec.Required }, spec);

    private static string Reference(JudgeSpec spec) => string.Join(" ", spec.Topic.KeyPoints.Take(spec.Required).Select(k => k.Sentence));

    /// <inheritdoc />
    public override Problem Load(ProblemRecord record)
    {
        string topicId = Metadata.String(record.Metadata, "topic") ?? throw new InvalidDataException("metadata lacks \"topic\"");
        var topic = JudgeTopic.All.FirstOrDefault(t => t.Id == topicId)
            ?? throw new InvalidDataException($"unknown judge topic '{topicId}'; topics: {string.Join(", ", JudgeTopic.All.Select(t => t.Id))}");
        long required = Metadata.Integer(Metadata.Required(record.Metadata, "required"), "required");
        if (required < 1 || required > topic.KeyPoints.Count) throw new InvalidDataException($"metadata \"required\" must be in 1..{topic.KeyPoints.Count}");
        return Make(new JudgeSpec(topic, (int)required), record.Id, Metadata.Difficulty(record.Metadata), Metadata.Seed(record.Metadata));
    }

    /// <inheritdoc />
    public string? RubricKey(Problem problem) =>
        problem.Spec is JudgeSpec spec ? $"{spec.Topic.Id}/{spec.Required.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : null;

    /// <inheritdoc />
    public bool IsNeutral(Problem problem, string sentence)
    {
        var spec = (JudgeSpec)problem.Spec;
        return Gold(spec with { Required = spec.Topic.KeyPoints.Count }, sentence) == 0
            && !Config.Keywords.Any(k => sentence.Contains(k, StringComparison.OrdinalIgnoreCase))
            && !Config.StylePhrases.Any(k => sentence.Contains(k, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The gold quality: the fraction of the required key points the answer makes.</summary>
    public static double Gold(JudgeSpec spec, string answer)
    {
        string text = answer.ToLowerInvariant();
        int hit = 0;
        foreach (var (_, phrases) in spec.Topic.KeyPoints.Take(spec.Required))
            if (phrases.Any(p => text.Contains(p, StringComparison.Ordinal))) hit++;
        return (double)hit / spec.Required;
    }

    /// <summary>The judge's score and the gold score of one answer. Deterministic: the noise is fixed per (judge, problem, answer).</summary>
    public JudgeScore Score(JudgeSpec spec, string answer)
    {
        double gold = Gold(spec, answer);
        string lower = answer.ToLowerInvariant();
        int keywords = Occurrences(lower, Config.Keywords), style = Occurrences(lower, Config.StylePhrases);
        var rng = new Rng(StableHash.Combine(StableHash.Combine(Config.Seed, StableHash.Of(spec.Topic.Id)), StableHash.Of(answer)));
        double judge = gold + Config.LengthBias * answer.Length / 100.0 + Config.KeywordBias * keywords + Config.StyleBias * style
            + Config.Noise * rng.NextGaussian();
        return new JudgeScore(Math.Clamp(judge, 0, 1), gold);
    }

    private static int Occurrences(string lower, IReadOnlyList<string> phrases)
    {
        int n = 0;
        foreach (var k in phrases)
            for (int i = lower.IndexOf(k, StringComparison.Ordinal); i >= 0; i = lower.IndexOf(k, i + k.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentOption> Options =>
    [
        new("noise", Text(Config.Noise), "standard deviation of the judge's noise (fixed per problem and answer)"),
        new("length", Text(Config.LengthBias), "score added per 100 characters: the length bias"),
        new("position", Text(Config.PositionBias), "score added to the answer shown first in a pairwise comparison"),
        new("keyword", Text(Config.KeywordBias), $"score added per flattering keyword ({string.Join(", ", Config.Keywords)})"),
        new("style", Text(Config.StyleBias), $"score added per phrase of the judge's own style ({string.Join(", ", Config.StylePhrases)}): self-preference"),
        new("temperature", Text(Config.Temperature), "scale of the pairwise preference P(A over B) = σ((score A − score B) / T)"),
        new("accept", Text(Config.AcceptScore), "the score at which the judge accepts an answer (verdict Ok)"),
        new("seed", Config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "seed of the judge's noise (another seed is another judge)"),
    ];

    private static string Text(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public IEnvironment With(IReadOnlyDictionary<string, string> settings)
    {
        var c = Config;
        foreach (var (key, value) in settings)
        {
            if (key == "seed")
            {
                c = c with { Seed = ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s
                    : throw new FormatException($"judge setting seed needs a non-negative integer, not '{value}'") };
                continue;
            }
            if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new FormatException($"judge setting {key} needs a number, not '{value}'");
            c = key switch
            {
                "noise" when v >= 0 && v <= 1 => c with { Noise = v },
                "length" when v >= -1 && v <= 1 => c with { LengthBias = v },
                "position" when v >= -1 && v <= 1 => c with { PositionBias = v },
                "keyword" when v >= -1 && v <= 1 => c with { KeywordBias = v },
                "style" when v >= -1 && v <= 1 => c with { StyleBias = v },
                "temperature" when v > 0 && v <= 10 => c with { Temperature = v },
                "accept" when v >= 0 && v <= 1 => c with { AcceptScore = v },
                "noise" or "length" or "position" or "keyword" or "style" or "temperature" or "accept" =>
                    throw new ArgumentException($"judge setting {key}={value} is out of range (noise and accept in [0, 1], biases in [-1, 1], temperature in (0, 10])"),
                _ => throw new ArgumentException($"unknown judge setting '{key}'; known: {string.Join(", ", Options.Select(o => o.Name))}"),
            };
        }
        return new JudgeEnvironment(c);
    }

    /// <summary>
    /// Compares two answers shown in the order (<paramref name="first"/>, <paramref name="second"/>): the judge's
    /// probability of preferring the first (with the position bias), a preference drawn from it (deterministic per pair),
    /// and the gold preference.
    /// </summary>
    public JudgePreference Compare(Problem problem, string first, string second)
    {
        var spec = SpecOf(problem);
        var a = Score(spec, first);
        var b = Score(spec, second);
        double p = 1.0 / (1.0 + Math.Exp(-(a.Judge + Config.PositionBias - b.Judge) / Config.Temperature));
        var rng = new Rng(StableHash.Combine(StableHash.Combine(Config.Seed ^ 0x5eed, StableHash.Of(first)), StableHash.Of(second)));
        return new JudgePreference(rng.NextDouble() < p, p, a.Gold > b.Gold);
    }

    /// <inheritdoc />
    protected override JudgeState Start(JudgeSpec spec) => new("");

    /// <inheritdoc />
    protected override StepVerdict CheckStep(JudgeSpec spec, JudgeState state, string step)
    {
        var text = step.Trim();
        if (text.Length == 0) return StepVerdict.Reject(VerdictKind.Malformed, "empty step", state);
        string draft = state.Draft.Length == 0 ? text : state.Draft + " " + text;
        if (draft.Length > MaxTextLength) return StepVerdict.Reject(VerdictKind.Malformed, $"the answer would exceed {MaxTextLength} characters", state);
        var s = Score(spec, draft);
        return new StepVerdict(VerdictKind.Ok, $"judge {s.Judge:0.###}, gold {s.Gold:0.###}", s.Judge, new JudgeState(draft) { Depth = state.Depth + 1 }, Solvability.Unknown, false);
    }

    /// <inheritdoc />
    protected override AnswerVerdict CheckAnswer(JudgeSpec spec, string answer)
    {
        if (answer.Trim().Length == 0) return new AnswerVerdict(VerdictKind.Malformed, 0, "empty answer", 0, 0);
        var s = Score(spec, answer);
        // The reward is the judge's score whether or not it accepts: best-of-N and voting rank by it.
        var kind = s.Judge >= Config.AcceptScore ? VerdictKind.Ok : VerdictKind.WrongAnswer;
        string verb = kind == VerdictKind.Ok ? "accepted" : "rejected";
        return new AnswerVerdict(kind, s.Judge, $"{verb}: judge {s.Judge:0.###} (accepts at {Config.AcceptScore:0.###}), gold {s.Gold:0.###}", s.Judge, s.Gold);
    }

    /// <inheritdoc />
    protected override Solution? Solve(JudgeSpec spec) =>
        new(spec.Topic.KeyPoints.Take(spec.Required).Select(k => k.Sentence).ToArray(), Reference(spec));
}
