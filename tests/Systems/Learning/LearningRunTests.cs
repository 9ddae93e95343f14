using Sim.Agents.Learning;
using Sim.Agents.Learning.Algorithms;
using Sim.Agents.Learning.Learners;
using Sim.Engine;
using Sim.Environments.Countdown;
using Sim.Systems.Learning;

namespace Sim.Tests.Systems.Learning;

public class LearningRunTests
{
    private static LearningRunSpec Spec(ILearner learner, IRlAlgorithm algo, int pool = 64, int problems = 32) =>
        new(new CountdownEnvironment(), 1, learner, algo, Seed: 3, ProblemsPerTick: problems, SamplesPerProblem: 8, TrainPool: pool, HeldOut: 20);

    private static (LearningLog Log, LearningState State) Run(LearningRunSpec spec, int ticks)
    {
        using var world = World.Create(spec.Seed);
        var p = LearningRun.Build(world, spec);
        p.Run(ticks);
        var state = world.Resources.Get<LearningState>();
        var log = world.Resources.Get<LearningLog>();
        log.Evals.Add(EvaluationSystem.Evaluate(state));
        return (log, state);
    }

    // The tabular policy learns its pool: each of REINFORCE, GRPO and PPO from the uniform policy (about 22% greedy)
    // to at least 95% greedy on the pool.
    [TestCase("reinforce")]
    [TestCase("grpo")]
    [TestCase("ppo")]
    public void TabularPolicyLearnsItsPool(string name)
    {
        IRlAlgorithm algo = name switch
        {
            "reinforce" => new Reinforce(new ReinforceConfig(0.5)),
            "grpo" => new Grpo(new GrpoConfig(0.5)),
            _ => new Ppo(new PpoConfig(0.05)),
        };
        using var learner = new TabularLearner();
        var (log, state) = Run(Spec(learner, algo), 80);
        Assert.That(state.PolicyVersion, Is.EqualTo(80));
        Assert.That(log.Evals[^1].PoolSolveRate, Is.GreaterThanOrEqualTo(0.95), name);
        Assert.That(log.Updates[^1].SolveRate, Is.GreaterThan(log.Updates[0].SolveRate));
        Assert.That(log.EpisodesBuffered, Is.EqualTo(80 * 32 * 8));
        // Every update's batch is the episodes of its own tick, once: consecutive, disjoint id ranges.
        for (int i = 0; i < log.Updates.Count; i++)
        {
            Assert.That(log.Updates[i].FirstEpisode, Is.EqualTo(i * 256L));
            Assert.That(log.Updates[i].LastEpisode, Is.EqualTo(i * 256L + 255));
            Assert.That(log.Updates[i].MaxStaleness, Is.EqualTo(0));
        }
    }

    [Test]
    public void RunsAreDeterministic()
    {
        using var a = new TabularLearner();
        using var b = new TabularLearner();
        Run(Spec(a, new Grpo(new GrpoConfig(0.5))), 10);
        Run(Spec(b, new Grpo(new GrpoConfig(0.5))), 10);
        Assert.That(a.WeightsHash(), Is.EqualTo(b.WeightsHash()));
    }

    [Test]
    public void ResumeFromACheckpointReachesTheSameWeights()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sim-rl-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var straight = new TabularLearner();
            Run(Spec(straight, new Reinforce(new ReinforceConfig(0.5))), 12);

            // Interrupted after 7 ticks (checkpoint at 5, then two more ticks lost), resumed in a fresh world.
            using (var first = new TabularLearner())
            using (var world = World.Create(3))
            {
                var p = LearningRun.Build(world, Spec(first, new Reinforce(new ReinforceConfig(0.5))));
                LearningCheckpoint.SaveInit(dir, first);
                for (int t = 0; t < 7; t++)
                {
                    p.Tick();
                    if (world.Resources.Get<LearningState>().Tick == 5) LearningCheckpoint.Save(dir, world);
                }
            }
            using var resumed = new TabularLearner();
            using var world2 = World.Create(3);
            var p2 = LearningRun.Build(world2, Spec(resumed, new Reinforce(new ReinforceConfig(0.5))));
            LearningCheckpoint.Restore(dir, world2);
            Assert.That(world2.Resources.Get<LearningState>().Tick, Is.EqualTo(5));
            while (world2.Resources.Get<LearningState>().Tick < 12) p2.Tick();
            Assert.That(resumed.WeightsHash(), Is.EqualTo(straight.WeightsHash()));
            Assert.That(world2.Resources.Get<LearningLog>().Updates, Has.Count.EqualTo(12));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Test]
    public void CurriculumMovesTheLevelToKeepTheSolveRateInItsBand()
    {
        using var learner = new TabularLearner();
        // Fresh problems (no pool): the uniform policy solves about 5% at level 2, below a band of [0.3, 0.7].
        var spec = new LearningRunSpec(new CountdownEnvironment(), 2, learner, new Grpo(new GrpoConfig(0.5)), Seed: 3,
            ProblemsPerTick: 16, SamplesPerProblem: 8, HeldOut: 10, Curriculum: new CurriculumConfig(0.3, 0.7, Window: 128));
        var (log, _) = Run(spec, 6);
        Assert.That(log.Levels[0], Is.EqualTo(2));
        Assert.That(log.Levels, Does.Contain(1), "below the band the curriculum steps down");
        Assert.That(log.Levels.Zip(log.Levels.Skip(1)).All(p => Math.Abs(p.First - p.Second) <= 1));
    }

    [Test]
    public void LengthPenaltyShapesTheReturn()
    {
        using var learner = new TabularLearner();
        using var world = World.Create(3);
        var spec = Spec(learner, new Grpo(new GrpoConfig(0.5))) with { LengthPenalty = 0.01 };
        var p = LearningRun.Build(world, spec);
        Assert.That(p.StageGroups.SelectMany(g => g.Systems).Any(s => s is LengthPenaltySystem));
        p.Tick();
        var log = world.Resources.Get<LearningLog>();
        Assert.That(log.Updates[0].Stats["reward"], Is.LessThan(log.Updates[0].SolveRate), "every trajectory pays for its length");
    }

    [Test]
    public void ALearnedRewardModelGivesTheReturns()
    {
        using var learner = new TabularLearner();
        using var world = World.Create(3);
        // A "reward model" that prefers short trajectories: the return is 1 / lines, whatever the verifier says.
        var spec = Spec(learner, new Grpo(new GrpoConfig(0.5))) with { RewardModel = new ShortIsGood() };
        var p = LearningRun.Build(world, spec);
        p.Tick();
        var u = world.Resources.Get<LearningLog>().Updates[0];
        Assert.That(u.Stats["reward"], Is.GreaterThan(0.3).And.LessThan(1.0));
        Assert.That(u.Stats["reward"], Is.Not.EqualTo(u.SolveRate).Within(0.05), "the returns are the model's, not the verifier's");
    }

    private sealed class ShortIsGood : Sim.Agents.Scoring.INodeScorer
    {
        public string Name => "short";
        public void Score(IReadOnlyList<Sim.Agents.Scoring.ScoreRequest> requests, Span<double> scores)
        {
            for (int i = 0; i < requests.Count; i++) scores[i] = 1.0 / requests[i].Lines.Count;
        }
    }

    [Test]
    public void MonteCarloLabelsAreTheShareOfCorrectOutcomesThroughEachPrefix()
    {
        using var learner = new TabularLearner();
        var env = new CountdownEnvironment();
        var tasks = Enumerable.Range(0, 6).Select(i => new Rollouts.Task(env.Sample((ulong)i, 1), i)).ToArray();
        var t = new Rollouts().Run(learner, env, tasks, 16, greedy: false, seed: 2, firstId: 0);
        var labels = OnlineRewardModel.MonteCarloLabels(env, t);
        for (int i = 0; i < t.Count; i++)
        {
            // The first line's label: the share of correct samples of the problem that opened with the same line.
            var same = t.Where(x => x.Problem.Id == t[i].Problem.Id && x.Steps[0].Text == t[i].Steps[0].Text).ToList();
            Assert.That(labels[i].StepValues[0], Is.EqualTo(same.Count(x => x.Correct) / (float)same.Count).Within(1e-6));
            // The last line's label is the trajectory's own outcome unless a sibling shares the whole path.
            Assert.That(labels[i].Outcome, Is.EqualTo(t[i].Correct ? 1f : 0f));
        }
        var exact = OnlineRewardModel.ExactLabels(env, t);
        Assert.That(exact.SelectMany(x => x.StepValues).All(v => v is 0f or 1f), "countdown knows every step's solvability");
    }

    [Test]
    public void SampledEvaluationReportsPassAndMajorityAtK()
    {
        using var learner = new TabularLearner();
        using var world = World.Create(3);
        var p = LearningRun.Build(world, Spec(learner, new Grpo(new GrpoConfig(0.5))) with { EvalSamples = 8 });
        var e = EvaluationSystem.Evaluate(world.Resources.Get<LearningState>());
        Assert.That(e.PassAtK!.Keys, Is.EqualTo(new[] { 1, 2, 4, 8 }));
        // pass@k grows with k, pass@1 is the mean per-sample solve rate, and maj@1 equals pass@1.
        Assert.That(e.PassAtK[8], Is.GreaterThan(e.PassAtK[1]));
        Assert.That(e.PassAtK.Values.Zip(e.PassAtK.Values.Skip(1)).All(x => x.First <= x.Second + 1e-12));
        Assert.That(e.MajAtK![1], Is.EqualTo(e.PassAtK[1]).Within(1e-12));
        Assert.That(e.PassAtK[1], Is.InRange(0.01, 0.5), "the uniform policy on countdown with 3 numbers");
    }

    [Test]
    public void PpoRefusesALearnerWithoutAValueHead()
    {
        var spec = Spec(new NoValueHead(), new Ppo(new PpoConfig()));
        using var world = World.Create(1);
        Assert.Throws<NotSupportedException>(() => LearningRun.Build(world, spec));
    }

    private sealed class NoValueHead : ILearner
    {
        public string Name => "none";
        public int Version => 0;
        public bool HasValueHead => false;
        public bool AnswersWithSteps => true;
        public ExperienceStep[] Act(IReadOnlyList<OpenEpisode> open, bool greedy, ref Rng rng) => throw new NotImplementedException();
        public float[][] LogProbs(IReadOnlyList<ExperienceStep> steps) => throw new NotImplementedException();
        public float[]? Values(IReadOnlyList<ExperienceStep> steps) => null;
        public UpdateResult Update(IReadOnlyList<ExperienceStep> steps, LossFunction loss, double learningRate) => throw new NotImplementedException();
        public IFrozenPolicy Freeze() => throw new NotImplementedException();
        public void Save(string dir) { }
        public void Load(string dir) { }
        public string WeightsHash() => "";
        public void Dispose() { }
    }
}
