using Sim.Agents.Policies;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

public class SearchSmokeTests
{
    [Test]
    public void EveryAlgorithmRunsOnCountdown()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var problems = SearchExperiment.SampleProblems(env, 40, 2, 1);
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.3));
        foreach (var name in SearchAlgorithms.Names)
        {
            var r = SearchExperiment.Run(new ExperimentSpec(env, policy, null, name, 4, null, BudgetUnit.PolicyCalls, problems, 7));
            TestContext.Out.WriteLine($"{name}: {r.Accuracy} lines {r.Mean(BudgetUnit.PolicyCalls):F1} ticks {r.Ticks}");
            Assert.That(r.Accuracy.Trials, Is.EqualTo(40));
        }
    }
}
