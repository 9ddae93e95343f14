using Sim.Agents.Policies;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

/// <summary>
/// Search on the proxy-rewarded <c>judge</c>: solve rates are the judge's acceptance rates (not "any answer"), the gold
/// quality is reported beside them, and more search buys more of both.
/// </summary>
public class JudgeSearchTests
{
    private static readonly IEnvironment Judge = EnvironmentRegistry.Default.Get("judge");
    private static readonly SimulatedPolicy Policy = new(new SimulatedPolicyConfig(AttemptSkill: 0.3));
    private static readonly List<Problem> Problems = SearchExperiment.SampleProblems(Judge, 150, 2, 21);

    private static ExperimentResult Run(string search, int scale) =>
        SearchExperiment.Run(new ExperimentSpec(Judge, Policy, null, search, scale, null, BudgetUnit.PolicyCalls, Problems, 5));

    [Test]
    public void SolveRateIsTheJudgesAcceptanceAndGoldIsReported()
    {
        var one = Run("bon", 1);
        Assert.That(one.Accuracy.Rate, Is.GreaterThan(0.1).And.LessThan(0.9), "a skill-0.3 policy is neither always accepted nor never");
        Assert.That(one.MeanGold, Is.InRange(0.3, 0.95), "gold quality is reported for the proxy-rewarded environment");
        Assert.That(one.MeanReward, Is.InRange(0.3, 1.0));
    }

    [TestCase("bon")]
    [TestCase("revise")]
    public void MoreSearchBuysAcceptanceAndGold(string search)
    {
        var one = Run(search, 1);
        var many = Run(search, 8);
        Assert.That(many.Accuracy.Successes, Is.GreaterThan(one.Accuracy.Successes + 10), $"{search}: more budget, more accepted answers");
        Assert.That(many.MeanGold, Is.GreaterThan(one.MeanGold), $"{search}: and better ones by the gold standard");
    }

    [Test]
    public void ExactEnvironmentsReportNoGold()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var r = SearchExperiment.Run(new ExperimentSpec(env, Policy, null, "bon", 2, null, BudgetUnit.PolicyCalls,
            SearchExperiment.SampleProblems(env, 40, 2, 3), 5));
        Assert.That(r.MeanGold, Is.NaN);
        Assert.That(r.MeanReward, Is.EqualTo(r.Accuracy.Rate).Within(1e-12), "exact rewards are 1 for solved, 0 otherwise");
    }
}
