using System.Text.Json;
using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Environments;
using Sim.Systems.Search;
using Sim.Tests.Cli;

namespace Sim.Tests.Systems.Search;

/// <summary>sim policy profile: the fit, and the shape the default error model gives coverage.</summary>
public class PolicyProfileTests
{
    [Test]
    public void TheFitRecoversAnExactPowerLaw()
    {
        var points = Enumerable.Range(0, 10).Select(i => 1 << i).Select(k => (k, Math.Exp(-2.5 * Math.Pow(k, -0.3)))).ToList();
        var (a, b, r2) = PolicyProfile.FitPowerLaw(points);
        Assert.That(a, Is.EqualTo(-2.5).Within(1e-9));
        Assert.That(b, Is.EqualTo(-0.3).Within(1e-9));
        Assert.That(r2, Is.EqualTo(1).Within(1e-9));
    }

    private static PolicyProfileResult Profile(string policy, int problems = 120, int samples = 256) =>
        PolicyProfile.Run(new PolicyProfileSpec(EnvironmentRegistry.Default.Get("countdown"), 2, PolicySpec.Parse(policy), problems, samples, 3));

    [Test]
    public void TheUniformPolicyFollowsTheIidFormula()
    {
        var r = Profile("simulated:skill=0.2,uniform=1");
        foreach (var (k, pass) in r.PassAtK.Where(p => p.K <= 16))
            Assert.That(pass, Is.EqualTo(1 - Math.Pow(0.8, k)).Within(0.03), $"pass@{k}");
        Assert.That(r.FirstErrors["slip"] + r.FirstErrors["wrong_answer"], Is.EqualTo(1).Within(1e-9),
            "every mistake of the uniform model is a slip (of a step, or of the answer line: a wrong answer)");
    }

    [Test]
    public void TheDefaultModelHasAPowerLawAndEveryKindOfMistake()
    {
        var r = Profile("simulated:skill=0.1", problems: 200, samples: 1024);
        Assert.That(r.FitR2, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(r.FitB, Is.LessThan(0));
        double at64 = r.PassAtK.Single(p => p.K == 64).Pass;
        Assert.That(at64, Is.LessThanOrEqualTo(0.95), "problems differ in difficulty: 64 samples do not solve 1 - 0.9^64 of them");
        Assert.That(at64, Is.LessThan(1 - Math.Pow(0.9, 64) - 0.3));
        Assert.That(r.FirstErrors["dead_end"], Is.GreaterThan(0.1));
        Assert.That(r.FirstErrors["format"], Is.GreaterThan(0.01));
        Assert.That(r.FirstErrors["slip"], Is.GreaterThan(0.3));
        Assert.That(r.UnsolvedShare, Is.GreaterThan(0.1), "some problems are out of reach of this policy");
    }

    [Test]
    public void DifficultyIsAPropertyOfTheProblem()
    {
        // The same questions are hard for two policies of different skill, and the stronger one solves more of them.
        var env = EnvironmentRegistry.Default.Get("countdown");
        var problems = SearchExperiment.SampleProblems(env, 60, 2, 9);
        var weak = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.2));
        var strong = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.6));
        double Eps(SimulatedPolicy p, Problem q) => p.ErrorRateOf(env, q);
        Assert.That(problems.Select(q => Eps(weak, q)).Distinct().Count(), Is.GreaterThan(30), "each problem has its own error rate");
        Assert.That(problems.Select(q => Eps(weak, q)), Is.EqualTo(problems.Select(q => new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.2)).ErrorRateOf(env, q))));
        Assert.That(problems.Average(q => Eps(strong, q)), Is.LessThan(problems.Average(q => Eps(weak, q))));
    }

    [Test]
    public void TheCommandPrintsTheFit()
    {
        var (code, stdout, stderr) = CliTests.Run("policy", "profile", "--policy", "simulated:skill=0.3", "--problems", "40", "--samples", "64", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("fit").GetProperty("r2").GetDouble(), Is.GreaterThan(0.5));
        Assert.That(root.GetProperty("pass_at_k").GetArrayLength(), Is.EqualTo(7));
        Assert.That(root.GetProperty("errors").GetProperty("first").GetProperty("dead_end").GetDouble(), Is.GreaterThan(0));
        Assert.That(CliTests.Run("policy", "profile", "--samples", "0").code, Is.EqualTo(2));
        Assert.That(CliTests.Run("policy", "profile", "--policy", "simulated:spread=1.5").code, Is.EqualTo(2));
    }
}
