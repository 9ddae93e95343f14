using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Judge;

namespace Sim.Agents.Scoring;

/// <summary>
/// Preference pairs for Bradley–Terry reward models, and the agreement of a learned reward with a reference:
/// <list type="bullet">
/// <item><see cref="FromJudge"/>: the judge's pairwise comparisons of a policy's answers to the same problem (with its
/// noise and biases), each pair marked with the gold preference.</item>
/// <item><see cref="FromOutcomes"/>: a verified-correct against a wrong answer to the same problem (the verifier is gold).</item>
/// <item><see cref="Read"/>: a JSONL file of TRL rows <c>{"prompt", "chosen", "rejected"}</c> (what
/// <c>sim data export --format trl-dpo</c> writes).</item>
/// </list>
/// </summary>
public static class PreferenceData
{
    /// <summary>
    /// The gold reward of a sampled trajectory: the environment's gold reward of its answer where it reports one (the
    /// judge's hidden quality), else its outcome (1 when the verifier accepts the answer); 0 without an answer.
    /// </summary>
    public static double Gold(LabelledTrajectory t)
    {
        if (t.Lines.Count == 0 || StepProtocol.Classify(t.Lines[^1]) != StepKind.Answer) return 0;
        var v = t.Env.CheckAnswer(t.Problem, StepProtocol.AnswerOf(t.Lines[^1]));
        return v.GoldReward ?? (v.Correct ? 1 : 0);
    }

    /// <summary>
    /// The judge's preferences between every two distinct answers to the same problem among <paramref name="samples"/>
    /// (trajectories without an answer are left out). Which answer is shown first is drawn per pair from
    /// <paramref name="seed"/>, so the judge's position bias falls on either side; the chosen answer is the one the judge
    /// prefers (its sampled verdict), and <see cref="PreferencePair.GoldPrefersChosen"/> compares gold qualities.
    /// </summary>
    public static List<PreferencePair> FromJudge(JudgeEnvironment judge, IReadOnlyList<LabelledTrajectory> samples, ulong seed)
    {
        var pairs = new List<PreferencePair>();
        foreach (var group in Answered(samples))
        {
            for (int i = 0; i < group.Count; i++)
            for (int j = i + 1; j < group.Count; j++)
            {
                var (a, ga) = group[i];
                var (b, gb) = group[j];
                string ta = StepProtocol.AnswerOf(a.Lines[^1]), tb = StepProtocol.AnswerOf(b.Lines[^1]);
                if (ta == tb) continue;
                var rng = new Rng(StableHash.Combine(StableHash.Combine(seed, StableHash.Of(a.Problem.Id)), (ulong)(i * 1_000 + j)));
                bool aFirst = rng.Chance(0.5);
                var pref = aFirst ? judge.Compare(a.Problem, ta, tb) : judge.Compare(a.Problem, tb, ta);
                bool chooseA = pref.PrefersFirst == aFirst;
                var (c, r, gc, gr) = chooseA ? (a, b, ga, gb) : (b, a, gb, ga);
                pairs.Add(new PreferencePair(Text(c), Text(r), gc == gr ? null : gc > gr));
            }
        }
        return pairs;
    }

    /// <summary>
    /// Every verified-correct answer paired with every wrong one to the same problem among <paramref name="samples"/>
    /// (by <see cref="LabelledTrajectory.Outcome"/>); the verifier is gold, so every pair's gold preference is the chosen one.
    /// </summary>
    public static List<PreferencePair> FromOutcomes(IReadOnlyList<LabelledTrajectory> samples)
    {
        var pairs = new List<PreferencePair>();
        foreach (var group in samples.GroupBy(s => s.Problem.Id))
        {
            var right = group.Where(s => s.Outcome > 0.5f).ToList();
            var wrong = group.Where(s => s.Outcome <= 0.5f).ToList();
            foreach (var c in right)
            foreach (var r in wrong)
                pairs.Add(new PreferencePair(Text(c), Text(r), true));
        }
        return pairs;
    }

    /// <summary>
    /// Pairs of samples of the same problem whose gold rewards differ (<paramref name="gold"/>, one per sample), as
    /// indices (better, worse).
    /// </summary>
    public static List<(int Better, int Worse)> GoldPairs(IReadOnlyList<LabelledTrajectory> samples, IReadOnlyList<double> gold)
    {
        var result = new List<(int, int)>();
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Problem.Id))
        {
            var idx = group.ToArray();
            for (int i = 0; i < idx.Length; i++)
            for (int j = i + 1; j < idx.Length; j++)
            {
                double a = gold[idx[i]], b = gold[idx[j]];
                if (a > b) result.Add((idx[i], idx[j]));
                else if (b > a) result.Add((idx[j], idx[i]));
            }
        }
        return result;
    }

    /// <summary>
    /// The share of pairs whose first reward is the higher; ties count half, pairs with a NaN reward are left out. NaN
    /// when no pair is left.
    /// </summary>
    public static double Agreement(IEnumerable<(double Preferred, double Other)> rewards)
    {
        double agree = 0;
        int n = 0;
        foreach (var (p, o) in rewards)
        {
            if (double.IsNaN(p) || double.IsNaN(o)) continue;
            agree += p > o ? 1 : p == o ? 0.5 : 0;
            n++;
        }
        return n == 0 ? double.NaN : agree / n;
    }

    /// <summary>
    /// Reads TRL preference rows: one JSON object per line with string fields <c>prompt</c>, <c>chosen</c> and
    /// <c>rejected</c> (extra fields are ignored; blank lines are skipped). The completions are split into lines
    /// (<see cref="TextTrajectory.Parse"/>). The file's preference is the only reference there is, so every pair's gold
    /// preference is the chosen one.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A row is malformed (not a JSON object, a field missing or not a string, an
    /// empty completion; the message names the line), or the file has no rows.</exception>
    public static List<PreferencePair> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"pairs file '{path}' not found");
        var pairs = new List<PreferencePair>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonNode? node;
            try { node = JsonNode.Parse(line); }
            catch (JsonException ex) { throw new InvalidDataException($"{path}:{lineNo}: not JSON ({ex.Message})"); }
            if (node is not JsonObject o) throw new InvalidDataException($"{path}:{lineNo}: not a JSON object");
            string? prompt = Field(o, "prompt"), chosen = Field(o, "chosen"), rejected = Field(o, "rejected");
            if (prompt is null || chosen is null || rejected is null)
                throw new InvalidDataException($"{path}:{lineNo}: needs string fields 'prompt', 'chosen' and 'rejected'");
            var c = TextTrajectory.Parse(prompt, chosen);
            var r = TextTrajectory.Parse(prompt, rejected);
            if (c.Lines.Count == 0 || r.Lines.Count == 0) throw new InvalidDataException($"{path}:{lineNo}: 'chosen' and 'rejected' must not be empty");
            pairs.Add(new PreferencePair(c, r, true));
        }
        if (pairs.Count == 0) throw new InvalidDataException($"{path}: no pairs");
        return pairs;
    }

    private static string? Field(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static TextTrajectory Text(LabelledTrajectory t) => TextTrajectory.Of(t.Env, t.Problem, t.Lines);

    // Answered samples grouped by problem, in order, with their gold rewards.
    private static IEnumerable<List<(LabelledTrajectory T, double Gold)>> Answered(IReadOnlyList<LabelledTrajectory> samples) =>
        samples.Where(s => s.Lines.Count > 0 && StepProtocol.Classify(s.Lines[^1]) == StepKind.Answer)
            .GroupBy(s => s.Problem.Id)
            .Select(g => g.Select(s => (s, Gold(s))).ToList());
}
