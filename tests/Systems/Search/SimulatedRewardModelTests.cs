using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Agents.Scoring;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

/// <summary>The simulated reward model: a persistent error per answer, so that selection by it over-optimises.</summary>
public class SimulatedRewardModelTests
{
    private static readonly IEnvironment Env = EnvironmentRegistry.Default.Get("countdown");

    private static double Score(SimulatedRewardModel rm, Problem p, string[] lines, ulong key, double label = 0)
    {
        var scores = new double[1];
        rm.Score([new ScoreRequest(Env, p, lines, true, label, key)], scores);
        return scores[0];
    }

    [Test]
    public void TheSameAnswerAlwaysGetsTheSameBias()
    {
        var p = Env.Sample(1, 2);
        var rm = new SimulatedRewardModel(Noise: 0, Shrink: 0.2, Seed: 5, Bias: 0.4);
        // Two traces reaching one answer, scored as different nodes: one persistent draw.
        double a = Score(rm, p, ["8 - 3 = 5", "Answer: 41"], key: 1);
        double b = Score(rm, p, ["2 + 2 = 4", "Answer: 41"], key: 2);
        Assert.That(a, Is.EqualTo(b));
        var others = Enumerable.Range(42, 40).Select(v => Score(rm, p, [$"Answer: {v}"], key: 3)).Distinct().Count();
        Assert.That(others, Is.GreaterThan(30), "different answers get different biases");
        var noisy = rm with { Noise = 0.1 };
        Assert.That(Score(noisy, p, ["Answer: 41"], 1), Is.Not.EqualTo(Score(noisy, p, ["Answer: 41"], 2)), "the per-call part differs by node");
    }

    [Test]
    public void WithoutErrorsItIsTheOracle()
    {
        var p = Env.Sample(1, 2);
        var rm = new SimulatedRewardModel(Noise: 0, Shrink: 0, Bias: 0);
        Assert.That(Score(rm, p, ["Answer: 1"], 1, label: 1), Is.EqualTo(1));
        Assert.That(Score(rm, p, ["Answer: 1"], 1, label: 0), Is.EqualTo(0));
    }

    [Test]
    public void BestOfNByTheDefaultModelPeaksAndThenFalls()
    {
        // Gao et al. 2022: optimising a proxy first gains, then loses gold reward. The policy's wrong answers are many
        // and varied, the right ones share one text, so the more samples, the likelier a wrong answer the model overrates.
        var problems = SearchExperiment.SampleProblems(Env, 500, 2, 11);
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.3));
        double Accuracy(int n) => SearchExperiment.Run(new ExperimentSpec(Env, policy, new SimulatedRewardModel(Seed: 11), "bon", n,
            Guidance.RewardModel, BudgetUnit.PolicyCalls, problems, 11)).Accuracy.Rate;
        double a1 = Accuracy(1), a4 = Accuracy(4), a64 = Accuracy(64);
        Assert.That(a4, Is.GreaterThan(a1 + 0.05), "a few samples help");
        Assert.That(a64, Is.LessThan(a4 - 0.02), "many samples over-optimise the model");
    }

    [Test]
    public void ThePolicysWrongAnswersAreMany()
    {
        var p = Env.Sample(4, 2);
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.6));
        var contexts = Enumerable.Range(0, 400).Select(i => new PolicyContext(Env, p, Env.Start(p), policy.PlanOf(Env, p).SkipLast(1).ToArray(), (ulong)i)).ToList();
        var output = new ProposedStep[contexts.Count];
        policy.Propose(contexts, 1, output, 7);
        var wrong = output.Where(o => o.Kind == StepKind.Answer && o.Text != policy.PlanOf(Env, p)[^1]).Select(o => o.Text).Distinct().Count();
        Assert.That(wrong, Is.GreaterThan(25));
        var uniform = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.6).Uniform());
        uniform.Propose(contexts, 1, output, 7);
        Assert.That(output.Where(o => o.Kind == StepKind.Answer).Select(o => o.Text).Distinct().Count(), Is.LessThanOrEqualTo(5));
    }
}
