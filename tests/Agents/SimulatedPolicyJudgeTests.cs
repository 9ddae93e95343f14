using System.Text.Json;
using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Agents.Tokenization;
using Sim.Environments;
using Sim.Environments.Judge;

namespace Sim.Tests.Agents;

/// <summary>
/// <see cref="SimulatedPolicy"/> on the <c>judge</c> environment: answers of varying gold quality (hits / R, binomial)
/// and length (padding, independent of gold), so best-of-N by the judge improves gold with N and the judge's length
/// bias shows in what it picks.
/// </summary>
public class SimulatedPolicyJudgeTests
{
    private static readonly JudgeEnvironment Env = new();

    private static Problem[] Problems(int n, int difficulty) =>
        Enumerable.Range(0, n).Select(i => Env.Sample((ulong)i + 2000, difficulty)).ToArray();

    private sealed record Result(double Judge, double Gold, string Answer, int Paddings, List<ProposedStep> Lines);

    // One chain attempt: every line is appended (the judge accepts any non-empty step) until the answer.
    private static Result Attempt(SimulatedPolicy policy, JudgeEnvironment env, Problem p, ulong key, ulong seed)
    {
        var lines = new List<string>();
        var proposals = new List<ProposedStep>();
        var output = new ProposedStep[1];
        var paddings = new HashSet<string>();
        for (int t = 0; t < 400; t++)
        {
            policy.Propose([new PolicyContext(env, p, env.Start(p), lines, key)], 1, output, seed * 7919 + (ulong)t);
            var s = output[0];
            proposals.Add(s);
            if (s.Kind == StepKind.Answer)
            {
                var v = env.CheckAnswer(p, StepProtocol.AnswerOf(s.Text));
                Assert.That(v.Kind, Is.EqualTo(v.Reward >= env.Config.AcceptScore ? VerdictKind.Ok : VerdictKind.WrongAnswer), "the judge accepts at its threshold");
                int pads = StepProtocol.EffectiveSteps(lines).Count(l => l.StartsWith("To answer") || l.StartsWith("It is worth") || l.StartsWith("This is a well") || l.StartsWith("In short"));
                return new Result(v.Reward, v.GoldReward!.Value, StepProtocol.AnswerOf(s.Text), pads, proposals);
            }
            lines.Add(s.Text);
        }
        Assert.Fail("no answer after 400 lines");
        return null!;
    }

    [Test]
    public void GoldIsBinomialInTheKeyPoints()
    {
        // Difficulty 2: R = 3 key points. Gold = hits / 3 with hits ~ Binomial(3, 1 − ε).
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.3, ConfidenceConcentration: 4, Verbosity: 0.2).Uniform());
        var problems = Problems(2000, 2);
        var golds = problems.Select((p, i) => Attempt(policy, Env, p, (ulong)i, 1).Gold).ToArray();
        Assert.That(golds.All(g => g is 0 or 1.0 / 3 or 2.0 / 3 or 1.0), Is.True);
        double sd = Math.Sqrt(0.3 * 0.7 / 3);
        Assert.That(golds.Average(), Is.EqualTo(0.7).Within(4 * sd / Math.Sqrt(golds.Length)), "mean gold = 1 − ε");
        double perfect = golds.Count(g => g == 1.0) / (double)golds.Length, p3 = Math.Pow(0.7, 3);
        Assert.That(perfect, Is.EqualTo(p3).Within(4 * Math.Sqrt(p3 * (1 - p3) / golds.Length)), "P(gold = 1) = (1 − ε)^R");
    }

    [Test]
    public void AttemptSkillFixesThePerfectAnswerRateOnEveryDifficulty()
    {
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.4, ConfidenceConcentration: 2).Uniform());
        var problems = Enumerable.Range(0, 2000).Select(i => Env.Sample((ulong)i + 9000, 1 + i % 5)).ToArray();
        double perfect = problems.Select((p, i) => Attempt(policy, Env, p, (ulong)i, 3).Gold).Count(g => g == 1.0) / 2000.0;
        Assert.That(perfect, Is.EqualTo(0.4).Within(4 * Math.Sqrt(0.24 / 2000)));
    }

    [Test]
    public void ReflectionRetractsMissesAtTheClosedFormRate()
    {
        // Each slot hits with probability (1 − ε) / (1 − ε·r) = 0.6 / 0.8 = 0.75.
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.4, Reflection: 0.5).Uniform());
        var results = Problems(1500, 3).Select((p, i) => Attempt(policy, Env, p, (ulong)i, 5)).ToArray();
        double sd = Math.Sqrt(0.75 * 0.25 / 4);
        Assert.That(results.Average(r => r.Gold), Is.EqualTo(0.75).Within(4 * sd / Math.Sqrt(results.Length)));
        Assert.That(results.Any(r => r.Lines.Any(l => l.Kind == StepKind.Correction)), Is.True);
    }

    [Test]
    public void BestOfNByTheJudgeImprovesWithN()
    {
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.4, ConfidenceConcentration: 4, Verbosity: 0.2).Uniform());
        var problems = Problems(300, 3);
        var attempts = problems.Select((p, i) => Enumerable.Range(0, 16).Select(a => Attempt(policy, Env, p, (ulong)i, (ulong)a + 1)).ToArray()).ToArray();
        double Gold(int n) => attempts.Average(a => a.Take(n).MaxBy(r => r.Judge)!.Gold);
        double Judge(int n) => attempts.Average(a => a.Take(n).Max(r => r.Judge));
        Assert.That(Gold(1), Is.EqualTo(0.6).Within(0.05));
        Assert.That(Gold(4), Is.GreaterThan(Gold(1) + 0.1));
        Assert.That(Gold(16), Is.GreaterThan(Gold(4)));
        Assert.That(Judge(16), Is.GreaterThan(Judge(4)).And.GreaterThan(Judge(1)));

        // The same with the judge's pairwise preferences: a knock-out where each new answer challenges the champion.
        double Tournament(int n) => problems.Select((p, i) =>
        {
            var champion = attempts[i][0];
            foreach (var challenger in attempts[i].Skip(1).Take(n - 1))
                if (Env.Compare(p, challenger.Answer, champion.Answer).PrefersFirst) champion = challenger;
            return champion.Gold;
        }).Average();
        Assert.That(Tournament(8), Is.GreaterThan(Tournament(1) + 0.1));
    }

    [Test]
    public void PaddingVariesLengthApartFromGoldAndTheLengthBiasShowsInThePick()
    {
        // Difficulty 3: R = 4. Padding sentences per attempt are negative binomial with mean (R + 1)·v / (1 − v).
        const double v = 0.3;
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.3, Verbosity: v).Uniform());
        var biased = new JudgeEnvironment(new JudgeConfig { LengthBias = 0.1 });
        var fair = new JudgeEnvironment(new JudgeConfig { LengthBias = 0 });
        var problems = Problems(300, 3);
        var attempts = problems.Select((p, i) => Enumerable.Range(0, 8).Select(a => Attempt(policy, biased, p, (ulong)i, (ulong)a + 1)).ToArray()).ToArray();
        var all = attempts.SelectMany(a => a).ToArray();
        double meanPads = all.Average(r => r.Paddings), expected = 5 * v / (1 - v);
        double sdPads = Math.Sqrt(5 * v / ((1 - v) * (1 - v)));
        Assert.That(meanPads, Is.EqualTo(expected).Within(4 * sdPads / Math.Sqrt(all.Length)));
        Assert.That(Correlation(all.Select(r => (double)r.Paddings).ToArray(), all.Select(r => r.Gold).ToArray()), Is.EqualTo(0).Within(0.06), "length apart from gold");

        // Best-of-8: the length-biased judge picks longer answers than an unbiased one, at no gain in gold.
        double PickedLength(JudgeEnvironment judge) => problems.Select((p, i) => attempts[i].MaxBy(r => judge.CheckAnswer(p, r.Answer).Reward)!.Answer.Length).Average();
        double PickedGold(JudgeEnvironment judge) => problems.Select((p, i) => attempts[i].MaxBy(r => judge.CheckAnswer(p, r.Answer).Reward)!.Gold).Average();
        Assert.That(PickedLength(biased), Is.GreaterThan(PickedLength(fair) + 40));
        Assert.That(PickedGold(biased), Is.LessThan(PickedGold(fair)));
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        double sx = Math.Sqrt(x.Sum(a => (a - mx) * (a - mx))), sy = Math.Sqrt(y.Sum(b => (b - my) * (b - my)));
        return sxy / (sx * sy);
    }

    [Test]
    public void MissesAndPaddingScoreNothingOnEveryTopicAndTokensAreExact()
    {
        var tokenizer = SimTokenizer.CreateDefault();
        var allMisses = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 1, Verbosity: 0.5).Uniform());
        var perfect = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0).Uniform());
        var noisy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.4, Verbosity: 0.3, Reflection: 0.5, ConfidenceConcentration: 2).Uniform());
        var keywords = Env.Config.Keywords;
        for (int t = 0; t < JudgeTopic.All.Count; t++)
        {
            var topic = JudgeTopic.All[t];
            var p = Env.Load(ProblemRecord.Parse(JsonSerializer.Serialize(new
            {
                id = topic.Id, question = topic.Question, answer = "",
                metadata = new { topic = topic.Id, required = topic.KeyPoints.Count },
            })));
            for (ulong seed = 1; seed <= 5; seed++)
            {
                var miss = Attempt(allMisses, Env, p, seed, seed);
                Assert.That(miss.Gold, Is.EqualTo(0), topic.Id);
                Assert.That(keywords.Any(k => miss.Answer.Contains(k, StringComparison.OrdinalIgnoreCase)), Is.False, topic.Id);
                var best = Attempt(perfect, Env, p, seed, seed);
                Assert.That(best.Gold, Is.EqualTo(1), topic.Id);
                Assert.That("Answer: " + best.Answer, Is.EqualTo(perfect.PlanOf(Env, p)[^1]), "ε = 0: the reference answer");
                foreach (var s in Attempt(noisy, Env, p, seed, seed).Lines.Concat(miss.Lines))
                    Assert.That(s.Tokens, Is.EqualTo(tokenizer.Encode(s.Text).Length + 1), s.Text);
            }
        }
    }

    [Test]
    public void ProposalsAreReproducibleAndRepeatCopiesSamples()
    {
        var cfg = new SimulatedPolicyConfig(StepErrorRate: 0.5, Repeat: 1, ConfidenceConcentration: 1).Uniform();
        var p = Problems(1, 4)[0];
        var ctx = new PolicyContext(Env, p, Env.Start(p), [], 7);
        var a = new ProposedStep[8];
        var b = new ProposedStep[8];
        new SimulatedPolicy(cfg).Propose([ctx], 8, a, 3);
        new SimulatedPolicy(cfg).Propose([ctx], 8, b, 3);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.Select(s => s.Text).Distinct().Count(), Is.EqualTo(1), "ρ = 1: every sample copies the first");
    }

    [Test]
    public void RunCommandRunsBestOfNOnTheJudge()
    {
        var (code, stdout, stderr) = Cli.CliTests.Run("run", "--env", "judge", "--policy", "simulated:eps=0.3,verbosity=0.2,uniform=1",
            "--search", "bon", "--agents", "16", "--ticks", "40", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("episodes").GetInt32(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("answered").GetInt32(), Is.GreaterThan(0));
    }
}
