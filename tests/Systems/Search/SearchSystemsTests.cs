using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Tests.Systems.Search;

public class SearchSystemsTests
{
    private static readonly SimulatedPolicy Policy = new(new SimulatedPolicyConfig(AttemptSkill: 0.4));

    [Test]
    public void EveryAlgorithmRunsOnEveryEnvironment()
    {
        foreach (var env in EnvironmentRegistry.Default.All)
        {
            var problems = SearchExperiment.SampleProblems(env, 12, env.Difficulty.Default, 3);
            foreach (var name in SearchAlgorithms.Names)
            {
                var r = SearchExperiment.Run(new ExperimentSpec(env, Policy, null, name, 4, null, BudgetUnit.PolicyCalls, problems, 9));
                Assert.That(r.Accuracy.Trials, Is.EqualTo(12), $"{name} on {env.Name}");
                Assert.That(r.Accuracy.Successes, Is.GreaterThan(0), $"{name} on {env.Name} solved nothing");
                Assert.That(r.Total.PolicyCalls, Is.GreaterThan(0));
            }
        }
    }

    [TestCase("bon")]
    [TestCase("vote")]
    [TestCase("beam")]
    [TestCase("mcts")]
    [TestCase("mcts-rollout")]
    [TestCase("revise")]
    [TestCase("hybrid")]
    public void SameSeedGivesIdenticalRuns(string search)
    {
        (ulong Hash, long Solved, long Tokens) Once()
        {
            var env = EnvironmentRegistry.Default.Get("countdown");
            using var world = World.Create(5);
            var spec = new ContinuousRunSpec(env, 2, Policy, new SimulatedRewardModel(), search, null, 48, RunBudget.Parse("attempts:4"), 5);
            var pipeline = ContinuousRun.Build(world, spec);
            pipeline.Run(25);
            var m = world.Resources.Get<SearchRun>().Metrics;
            return (world.StateHash(), m.Solved, m.Spent.Tokens);
        }
        var a = Once();
        var b = Once();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.Solved, Is.GreaterThan(0));
    }

    [TestCase(BudgetUnit.Tokens, 150)]
    [TestCase(BudgetUnit.PolicyCalls, 10)]
    [TestCase(BudgetUnit.VerifierCalls, 3)]
    public void BudgetsStopTheSearchInTheirUnit(BudgetUnit unit, double limit)
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        // A policy that never solves anything keeps searching until its budget stops it.
        var hopeless = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 1.0));
        using var world = World.Create(1);
        var spec = new ContinuousRunSpec(env, 2, hopeless, null, "mcts", Guidance.Verifier, 16, new RunBudget(new Budget(unit, limit), 0), 1);
        var pipeline = ContinuousRun.Build(world, spec);
        pipeline.Run(40);
        var m = world.Resources.Get<SearchRun>().Metrics;
        Assert.That(m.Episodes, Is.GreaterThan(0));
        Assert.That(m.Solved, Is.EqualTo(0));
        foreach (var (_, _, ledger) in m.Outcomes)
        {
            Assert.That(ledger.Get(unit), Is.GreaterThanOrEqualTo(limit));
            // At most one tick's expansion (4 lines) past the limit.
            Assert.That(ledger.PolicyCalls, Is.LessThanOrEqualTo(unit == BudgetUnit.PolicyCalls ? limit + 4 : 1000));
        }
    }

    [Test]
    public void InternalGuidanceNeverChargesTheVerifierAndRewardModelGuidanceChargesTheModel()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var problems = SearchExperiment.SampleProblems(env, 20, 2, 4);
        var confident = SearchExperiment.Run(new ExperimentSpec(env, Policy, null, "beam", 4, Guidance.Confidence, BudgetUnit.PolicyCalls, problems, 1));
        Assert.That(confident.Total.VerifierCalls, Is.Zero);
        Assert.That(confident.Total.RewardModelCalls, Is.Zero);
        var rm = SearchExperiment.Run(new ExperimentSpec(env, Policy, new SimulatedRewardModel(0.1), "beam", 4, Guidance.RewardModel, BudgetUnit.PolicyCalls, problems, 1));
        Assert.That(rm.Total.VerifierCalls, Is.Zero);
        Assert.That(rm.Total.RewardModelCalls, Is.GreaterThan(0));
        var verified = SearchExperiment.Run(new ExperimentSpec(env, Policy, null, "beam", 4, Guidance.Verifier, BudgetUnit.PolicyCalls, problems, 1));
        Assert.That(verified.Total.VerifierCalls, Is.GreaterThan(0));
    }

    [Test]
    public void AllAgentsShareOneBatchedPolicyCallPerTick()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        using var world = World.Create(2);
        var spec = new ContinuousRunSpec(env, 2, Policy, null, "mcts", null, 64, RunBudget.Parse("attempts:8"), 2);
        var pipeline = ContinuousRun.Build(world, spec);
        pipeline.Run(30);
        var m = world.Resources.Get<SearchRun>().Metrics;
        // Tasks are handed out in the spawn stage, so every tick makes exactly one call (MCTS asks every agent for the same K).
        Assert.That(m.BatchedPolicyCalls, Is.EqualTo(30));
        Assert.That(m.Proposals, Is.GreaterThan(64 * 30));
    }

    [Test]
    public void ExternalGuidanceBeatsBlindSamplingAndRevisionKeepsItsPrefix()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var problems = SearchExperiment.SampleProblems(env, 150, 2, 8);
        var weak = new SimulatedPolicy(new SimulatedPolicyConfig(AttemptSkill: 0.2));
        var vote = SearchExperiment.Run(new ExperimentSpec(env, weak, null, "vote", 4, null, BudgetUnit.PolicyCalls, problems, 1));
        var revise = SearchExperiment.Run(new ExperimentSpec(env, weak, null, "revise", 4, null, BudgetUnit.PolicyCalls, problems, 1));
        var bon = SearchExperiment.Run(new ExperimentSpec(env, weak, null, "bon", 4, null, BudgetUnit.PolicyCalls, problems, 1));
        Assert.That(revise.Accuracy.Rate, Is.GreaterThan(bon.Accuracy.Rate), "revision keeps the verified prefix, so it retries more cheaply");
        Assert.That(bon.Accuracy.Rate, Is.GreaterThan(vote.Accuracy.Rate));
    }

    [Test]
    public void CorrectionsGoBackToTheStateBeforeTheRetractedStep()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var problem = env.Sample(1, 2);
        using var world = World.Create(1);
        var run = new SearchRun(env, Policy, null, 1, (_, _) => null);
        SearchPipeline.Build(world, run, 1, () => new SequentialRevision(new RevisionConfig()), new Budget(BudgetUnit.PolicyCalls, 100));
        var entities = new List<Entity>();
        world.GetEntities(AgentQuery.Agents, entities);
        var agent = AgentQuery.View(world, entities[0]);
        var process = world.Get<ProcessRewards>(entities[0]);
        var outcome = world.Get<OutcomeRewards>(entities[0]);
        agent.Begin(new EpisodeTask(problem, 1), 0);
        var start = agent.Tree[0].State;
        var steps = env.Solve(problem)!.Steps;
        int s1 = agent.Tree.AddChild(0, NodeKind.Step, steps[0]);
        EnvironmentSystem.CheckNode(agent, s1, process, outcome);
        Assert.That(agent.Tree[s1].Verdict, Is.EqualTo(VerdictKind.Ok));
        Assert.That(agent.Tree[s1].State.ToString(), Is.Not.EqualTo(start.ToString()));
        Assert.That(process.Items, Is.EqualTo(new[] { new ProcessReward(s1, env.CheckStep(problem, start, steps[0]).ProcessReward, VerdictKind.Ok, RewardSource.Verifier) }));
        int wait = agent.Tree.AddChild(s1, NodeKind.Correction, "Wait: " + steps[0] + " is wrong");
        EnvironmentSystem.CheckNode(agent, wait, process, outcome);
        Assert.That(agent.Tree[wait].State, Is.SameAs(start));
        Assert.That(process.Items, Has.Count.EqualTo(1), "a correction is not verified, so it earns no reward of its own");
        int answer = agent.Tree.AddChild(wait, NodeKind.Answer, "Answer: " + env.Solve(problem)!.Answer);
        EnvironmentSystem.CheckNode(agent, answer, process, outcome);
        Assert.That(agent.Tree[answer].Complete && agent.Tree[answer].Correct, Is.True);
        Assert.That(outcome.Items.Single(), Is.EqualTo(new OutcomeReward(answer, 1, VerdictKind.Ok, RewardSource.Verifier, true)));
    }

    [Test]
    public void PathScoresAggregateStepSignals()
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var tree = new SearchTree();
        tree.Reset(env.Start(env.Sample(1, 2)));
        int a = tree.AddChild(0, NodeKind.Step, "a");
        int b = tree.AddChild(a, NodeKind.Step, "b");
        tree[a].Confidence = 0.5;
        tree[b].Confidence = 0.8;
        Assert.That(tree.Aggregate(b, ScoreAggregation.Min, n => tree[n].Confidence), Is.EqualTo(0.5));
        Assert.That(tree.Aggregate(b, ScoreAggregation.Last, n => tree[n].Confidence), Is.EqualTo(0.8));
        Assert.That(tree.Aggregate(b, ScoreAggregation.Product, n => tree[n].Confidence), Is.EqualTo(0.4).Within(1e-12));
        Assert.That(tree.Aggregate(b, ScoreAggregation.Mean, n => tree[n].Confidence), Is.EqualTo(0.65).Within(1e-12));
        Assert.That(tree.Lines(b), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(tree.FindChild(0, "a"), Is.EqualTo(a));
    }

    [Test]
    public void BadSpecsAreRejected()
    {
        Assert.Throws<FormatException>(() => Budget.Parse("tokens"));
        Assert.Throws<FormatException>(() => Budget.Parse("tokens:-3"));
        Assert.Throws<FormatException>(() => Budget.Parse("bananas:3"));
        Assert.Throws<FormatException>(() => RunBudget.Parse("attempts:0"));
        Assert.Throws<FormatException>(() => PolicySpec.Parse("oracle"));
        Assert.Throws<FormatException>(() => PolicySpec.Parse("simulated:skill=2"));
        Assert.Throws<FormatException>(() => PolicySpec.Parse("simulated:skill"));
        Assert.Throws<ArgumentException>(() => SearchAlgorithms.Create("dfs", 4));
        Assert.That(Budget.Parse("verifier_calls:16"), Is.EqualTo(new Budget(BudgetUnit.VerifierCalls, 16)));
        Assert.That(PolicySpec.Parse("simulated:skill=0.25,repeat=0.5,calibration=over"), Is.InstanceOf<SimulatedPolicy>());
    }
}
