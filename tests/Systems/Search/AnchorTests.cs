using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

/// <summary>The correctness anchors: measured accuracy against closed forms, and MCTS with the exact oracle.</summary>
public class AnchorTests
{
    private static readonly IEnvironment Countdown = EnvironmentRegistry.Default.Get("countdown");
    private static readonly List<Problem> Problems = SearchExperiment.SampleProblems(Countdown, 400, 2, 11);

    private static ExperimentResult Run(string search, int scale, IPolicy policy, Guidance? guidance = null, int problems = 400) =>
        SearchExperiment.Run(new ExperimentSpec(Countdown, policy, null, search, scale, guidance, BudgetUnit.PolicyCalls,
            Problems.Take(problems).ToList(), 5));

    // Within four standard errors (plus a little for the finite problem set): deterministic given the seeds, and loose
    // enough that a correct implementation never sits on the edge.
    private static void AssertNear(Proportion measured, double expected)
    {
        double se = Math.Sqrt(expected * (1 - expected) / measured.Trials);
        Assert.That(measured.Rate, Is.EqualTo(expected).Within(4 * se + 0.01), $"measured {measured}, expected {expected:P1}");
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(8)]
    public void BestOfNMatchesOneMinusOneMinusPToTheN(int n)
    {
        const double p = 0.3;
        var r = Run("bon", n, new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: p).Uniform()));
        AssertNear(r.Accuracy, ClosedForms.BestOfN(p, n));
    }

    [TestCase(0.4, 5)]
    [TestCase(0.3, 9)]
    public void MajorityVoteMatchesItsClosedForm(double p, int n)
    {
        // SimulatedPolicy documents its wrong answers: an off-track attempt ends with the reference answer line whose
        // last number is changed by +1, +10, -1 (if positive) or x2 (if not 0 or 1), uniformly: m = 4 distinct wrong
        // answers, or 3 when the last number is 1 or 10.
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: p).Uniform());
        double expected = Problems.Average(pr => ClosedForms.MajorityVote(p, n, WrongAnswers(policy.PlanOf(Countdown, pr)[^1])));
        var r = Run("vote", n, policy);
        AssertNear(r.Accuracy, expected);
        Assert.That(r.Accuracy.Rate, Is.LessThan(ClosedForms.BestOfN(p, n)), "voting cannot beat an exact verifier");
    }

    private static int WrongAnswers(string answerLine)
    {
        int end = answerLine.Length;
        while (end > 0 && !char.IsAsciiDigit(answerLine[end - 1])) end--;
        int start = end;
        while (start > 0 && char.IsAsciiDigit(answerLine[start - 1])) start--;
        long v = long.Parse(answerLine.AsSpan(start, end - start));
        var set = new HashSet<long> { v + 1, v + 10 };
        if (v > 0) set.Add(v - 1);
        if (v > 1) set.Add(v * 2);
        set.Remove(v);
        return set.Count;
    }

    [Test]
    public void MajorityVoteSelectionMatchesClosedFormOnSyntheticDraws()
    {
        // The selection rule alone, on answers drawn from exactly the documented distribution.
        const double p = 0.35;
        const int n = 7, m = 3, trials = 40_000;
        var rng = new Rng(123);
        var keys = new string[n];
        var weights = Enumerable.Repeat(1.0, n).ToArray();
        int wins = 0;
        for (int t = 0; t < trials; t++)
        {
            for (int i = 0; i < n; i++) keys[i] = rng.NextDouble() < p ? "right" : "wrong" + rng.NextInt(m);
            if (keys[Voting.Vote(keys, weights, ref rng)] == "right") wins++;
        }
        AssertNear(new Proportion(wins, trials), ClosedForms.MajorityVote(p, n, m));
    }

    [Test]
    public void ClosedFormsAreSane()
    {
        Assert.That(ClosedForms.BestOfN(0.3, 1), Is.EqualTo(0.3).Within(1e-12));
        Assert.That(ClosedForms.MajorityVote(0.3, 1, 4), Is.EqualTo(0.3).Within(1e-12));
        // N = 2, m = 1: right twice (p²) or a 1-1 tie won half the time (2p(1-p)/2).
        Assert.That(ClosedForms.MajorityVote(0.3, 2, 1), Is.EqualTo(0.09 + 0.21).Within(1e-12));
        Assert.That(ClosedForms.MajorityVote(0.6, 25, 3), Is.GreaterThan(0.99));
    }

    [Test]
    public void MctsWithTheExactOracleSolvesNearlyEveryFourNumberProblem()
    {
        // A weak policy (30% per attempt), 8 attempts' worth of lines: the oracle's exact step values steer MCTS.
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.3).Uniform());
        var r = Run("mcts", 8, policy, Guidance.Oracle);
        Assert.That(Problems[0].Parameters["numbers"]!.AsArray().Count, Is.EqualTo(4));
        Assert.That(r.Accuracy.Rate, Is.GreaterThanOrEqualTo(0.99), r.Accuracy.ToString());
        Assert.That(r.Accuracy.Rate, Is.GreaterThan(ClosedForms.BestOfN(0.3, 8)), "the oracle must beat blind sampling at equal budget");
    }
}
