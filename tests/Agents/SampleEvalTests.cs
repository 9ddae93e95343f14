using Sim.Agents.Evaluation;
using Sim.Agents.Policies;
using Sim.Agents.Training;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents;

/// <summary>SampleEval: the pass@k and maj@k estimators on hand-computed cases, and its figures against the attempts.</summary>
public class SampleEvalTests
{
    [Test]
    public void PassAtKIsTheUnbiasedEstimator()
    {
        Assert.That(SampleEval.PassAtK(10, 0, 3), Is.EqualTo(0));
        Assert.That(SampleEval.PassAtK(10, 10, 3), Is.EqualTo(1));
        Assert.That(SampleEval.PassAtK(10, 3, 1), Is.EqualTo(0.3).Within(1e-12));
        // 1 - C(7,2)/C(10,2) = 1 - 21/45
        Assert.That(SampleEval.PassAtK(10, 3, 2), Is.EqualTo(1 - 21.0 / 45).Within(1e-12));
        // 1 - C(30,8)/C(32,8) = 1 - (24·23)/(32·31)
        Assert.That(SampleEval.PassAtK(32, 2, 8), Is.EqualTo(1 - 24.0 * 23 / (32 * 31)).Within(1e-12));
        Assert.That(SampleEval.PassAtK(10, 8, 3), Is.EqualTo(1), "fewer failures than k: some sample of k is right");
    }

    [Test]
    public void MajorityAtKGroupsAnswersAfterTheEnvironmentsCheck()
    {
        (string?, bool)[] attempts =
        [
            ("(8-3)*4+4", true),
            ("5*5", false),
            ("5 * 5", false), // the same wrong answer as the one before, once normalised
            ("4*4+8", true),  // another correct expression: it votes with the first
            (null, false),    // no answer: no vote
            ("6*4", false),
        ];
        Assert.That(SampleEval.MajorityAtK(attempts, 1), Is.EqualTo(1));
        Assert.That(SampleEval.MajorityAtK(attempts, 2), Is.EqualTo(0.5), "one right and one wrong: a coin flip");
        Assert.That(SampleEval.MajorityAtK(attempts, 3), Is.EqualTo(0), "5*5 has two votes to one");
        Assert.That(SampleEval.MajorityAtK(attempts, 4), Is.EqualTo(0.5), "two correct answers tie with two 5*5");
        Assert.That(SampleEval.MajorityAtK(attempts, 5), Is.EqualTo(0.5));
        Assert.That(SampleEval.MajorityAtK(attempts, 6), Is.EqualTo(0.5), "6*4 has one vote and does not tie");
        Assert.That(SampleEval.MajorityAtK([(null, false), (null, false)], 2), Is.EqualTo(0));
        Assert.That(SampleEval.MajorityAtK([("1", true), ("2", false), ("3", false)], 3), Is.EqualTo(1.0 / 3), "three groups of one");
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleEval.MajorityAtK(attempts, 7));
    }

    [Test]
    public void TheFiguresAreThoseOfTheSampledAttempts()
    {
        var env = new CountdownEnvironment();
        var problems = HeldOutSplit.Problems(env, 2, 24, 5);
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.3));
        var r = SampleEval.Run(new SampleEvalSpec(env, problems, policy, [4, 1, 4], 7));
        Assert.That(r.SamplesPerProblem, Is.EqualTo(4));
        Assert.That(r.PassAtK.Select(p => p.K), Is.EqualTo(new[] { 1, 4 }), "distinct and ascending");

        var episodes = new List<SampledEpisode>();
        EpisodeSampler.Run(env, problems, policy, 4, 32, 7, episodes.Add);
        Assert.That(episodes.Select(e => (e.Problem, e.Sample)), Is.EqualTo(Enumerable.Range(0, 24).SelectMany(p => Enumerable.Range(0, 4).Select(i => (p, i)))));
        var byProblem = episodes.GroupBy(e => e.Problem).ToList();
        Assert.That(r.PassAtK[0].Pass, Is.EqualTo(episodes.Average(e => e.Correct ? 1.0 : 0.0)).Within(1e-12), "pass@1 is the success rate");
        Assert.That(r.PassAtK[1].Pass, Is.EqualTo(byProblem.Average(g => g.Any(e => e.Correct) ? 1.0 : 0.0)).Within(1e-12), "pass@n: any attempt right");
        Assert.That(r.MajorityAtK[0].Majority, Is.EqualTo(byProblem.Average(g => g.First().Correct ? 1.0 : 0.0)).Within(1e-12), "maj@1: the first attempt");
        Assert.That(r.MeanTokens, Is.EqualTo(episodes.Average(e => (double)e.Tokens)).Within(1e-9));
        Assert.That(r.MeanLines, Is.EqualTo(episodes.Average(e => (double)e.Lines)).Within(1e-9));
        Assert.That(r.MeanTokens, Is.GreaterThan(r.MeanLines), "a line is several tokens");
        Assert.That(episodes.Where(e => e.Correct).All(e => e.Answer is not null));

        Assert.That(SampleEval.Run(new SampleEvalSpec(env, problems, policy, [1, 4], 7)), Is.EqualTo(r).Using<SampleEvalResult>(Same), "same seed, same figures");
        Assert.Throws<ArgumentException>(() => SampleEval.Run(new SampleEvalSpec(env, problems, policy, [0, 4], 7)));
        Assert.Throws<ArgumentException>(() => SampleEval.Run(new SampleEvalSpec(env, [], policy, [1], 7)));
    }

    private static bool Same(SampleEvalResult a, SampleEvalResult b) =>
        a.Problems == b.Problems && a.SamplesPerProblem == b.SamplesPerProblem && a.PassAtK.SequenceEqual(b.PassAtK)
        && a.MajorityAtK.SequenceEqual(b.MajorityAtK) && a.MeanTokens == b.MeanTokens && a.MeanLines == b.MeanLines;
}
