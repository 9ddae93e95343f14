using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

/// <summary>Self-evaluation guidance (<see cref="Guidance.SelfEval"/>) end to end: the policy judges its own lines.</summary>
public class SelfEvalSystemTests
{
    private static readonly IEnvironment Countdown = EnvironmentRegistry.Default.Get("countdown");
    private static readonly List<Problem> Problems = SearchExperiment.SampleProblems(Countdown, 200, 2, 21);
    private static readonly SimulatedPolicy Weak = new(new SimulatedPolicyConfig(AttemptSkill: 0.3).Uniform());

    // Budgets in tokens and judgements that cost no tokens: the self-evaluating search gets the same samples as the
    // verifier-guided one, so the two compare on their signal alone.
    private static ExperimentResult Run(string search, int scale, Guidance guidance, double selfError = 0, int tokens = 0, BudgetUnit unit = BudgetUnit.Tokens) =>
        SearchExperiment.Run(new ExperimentSpec(Countdown, Weak, null, search, scale, guidance, unit, Problems, 3,
            SelfEvaluator: new SimulatedSelfEvaluator(new SimulatedSelfEvalConfig(selfError, tokens))));

    [TestCase("bon")]
    [TestCase("beam")]
    [TestCase("mcts")]
    [TestCase("revise")]
    [TestCase("hybrid")]
    public void ErrorFreeSelfEvaluationBehavesLikeTheVerifier(string search)
    {
        var verifier = Run(search, 4, Guidance.Verifier);
        var self = Run(search, 4, Guidance.SelfEval);
        Assert.That(self.Accuracy.Rate, Is.EqualTo(verifier.Accuracy.Rate).Within(0.05), $"{search}: self {self.Accuracy}, verifier {verifier.Accuracy}");
        Assert.That(self.Total.VerifierCalls, Is.Zero, "self-evaluation is internal: no verifier calls");
        Assert.That(self.Signal, Is.EqualTo("self-eval"));
    }

    [TestCase("bon")]
    [TestCase("beam")]
    [TestCase("revise")]
    public void CoinTossSelfEvaluationIsNoBetterThanOneAttempt(string search)
    {
        var informed = Run(search, 4, Guidance.SelfEval);
        var coin = Run(search, 4, Guidance.SelfEval, selfError: 0.5);
        var single = Run("bon", 1, Guidance.Verifier);
        Assert.That(coin.Accuracy.Rate, Is.LessThan(informed.Accuracy.Rate - 0.2), $"{search}: coin {coin.Accuracy}, informed {informed.Accuracy}");
        Assert.That(coin.Accuracy.Rate, Is.EqualTo(single.Accuracy.Rate).Within(0.1), $"{search}: coin {coin.Accuracy}, one attempt {single.Accuracy}");
    }

    [Test]
    public void JudgementsCostPolicyCallsAndTokens()
    {
        var plain = SearchExperiment.Run(new ExperimentSpec(Countdown, Weak, null, "bon", 4, Guidance.Verifier, BudgetUnit.PolicyCalls, Problems, 3));
        var self = Run("bon", 4, Guidance.SelfEval, selfError: 0.1, tokens: 2, unit: BudgetUnit.PolicyCalls);
        // Best-of-N judges its answers only: one call and two tokens per finished trajectory.
        Assert.That(self.Total.PolicyCalls, Is.GreaterThan(plain.Total.PolicyCalls));
        Assert.That(self.Total.Tokens, Is.GreaterThan(plain.Total.Tokens));
        Assert.That(self.Total.VerifierCalls, Is.Zero);
        using var world = World.Create(1);
        var spec = new ContinuousRunSpec(Countdown, 2, Weak, null, "mcts", Guidance.SelfEval, 16, RunBudget.Parse("attempts:4"), 1,
            SelfEvaluator: new SimulatedSelfEvaluator(new SimulatedSelfEvalConfig(0.1, 2)));
        var pipeline = ContinuousRun.Build(world, spec);
        pipeline.Run(30);
        var run = world.Resources.Get<SearchRun>();
        Assert.That(run.Metrics.SelfEvaluations, Is.GreaterThan(0));
        Assert.That(run.Metrics.BatchedSelfEvalCalls, Is.LessThanOrEqualTo(30), "one batched call per tick at most");
    }

    [Test]
    public void SelfEvaluationWithoutASelfEvaluatorIsAnError()
    {
        Assert.Throws<InvalidOperationException>(() => SearchExperiment.Run(new ExperimentSpec(Countdown, Weak, null, "beam", 2,
            Guidance.SelfEval, BudgetUnit.PolicyCalls, Problems.Take(4).ToList(), 3)));
    }

    [Test]
    public void SpecsParse()
    {
        Assert.That(SearchAlgorithms.ParseGuidance("self-eval"), Is.EqualTo(Guidance.SelfEval));
        var e = (SimulatedSelfEvaluator)SelfEvalSpec.Parse("simulated:error=0.25,tokens=5", Weak);
        Assert.That(e.Config, Is.EqualTo(new SimulatedSelfEvalConfig(0.25, 5)));
        Assert.That(SelfEvalSpec.Parse("auto", Weak), Is.InstanceOf<SimulatedSelfEvaluator>());
        Assert.Throws<FormatException>(() => SelfEvalSpec.Parse("simulated:error=2", Weak));
        Assert.Throws<FormatException>(() => SelfEvalSpec.Parse("simulated:bogus=1", Weak));
        Assert.Throws<FormatException>(() => SelfEvalSpec.Parse("transformer", Weak));
        Assert.Throws<FormatException>(() => SelfEvalSpec.Parse("oracle", Weak));
    }
}
