using System.Text.Json.Nodes;
using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;
using Sim.Tests.Cli;

namespace Sim.Tests.Environments;

/// <summary>An environment's own bugs are verdicts attributed to it, a run goes on, and the CLI exits 3, not 2.</summary>
public class EnvironmentFaultTests
{
    public enum Bug { None, NaNStep, ThrowStep, OutOfRangeStep, InfiniteAnswer, ThrowAnswer, ThrowStart }

    // The worked sort example with one planted bug: every third step's verdict is broken.
    private sealed class Broken(Bug bug) : TaskEnvironment<SortEnvironment.Spec, SortEnvironment.State>
    {
        private readonly SortEnvironment _inner = new();
        private int _calls;
        public override string Name => $"broken-{bug.ToString().ToLowerInvariant()}";
        public override string Description => "the sort example with a planted bug";
        public override DifficultySpec Difficulty => _inner.Difficulty;
        public override Problem Sample(ulong seed, int difficulty) => Retag(_inner.Sample(seed, difficulty));
        public override Problem Load(ProblemRecord record) => Retag(_inner.Load(record));
        private Problem Retag(Problem p) => new(Name, p.Id, p.Question, p.Answer, p.Difficulty, p.Seed, p.Parameters, p.Spec);
        protected override SortEnvironment.State Start(SortEnvironment.Spec spec) =>
            bug == Bug.ThrowStart ? throw new KeyNotFoundException("planted start bug") : (SortEnvironment.State)_inner.Start(Probe(spec));
        private Problem Probe(SortEnvironment.Spec spec) => new("sort", "x", "", "", 1, 0, new JsonObject(), spec);

        protected override StepVerdict CheckStep(SortEnvironment.Spec spec, SortEnvironment.State state, string step)
        {
            var v = _inner.CheckStep(Probe(spec), state, step);
            if (Interlocked.Increment(ref _calls) % 3 != 0) return v;
            return bug switch
            {
                Bug.NaNStep => v with { ProcessReward = double.NaN },
                Bug.OutOfRangeStep => v with { ProcessReward = 7 },
                Bug.ThrowStep => throw new IndexOutOfRangeException("planted"),
                _ => v,
            };
        }

        protected override AnswerVerdict CheckAnswer(SortEnvironment.Spec spec, string answer)
        {
            var v = _inner.CheckAnswer(Probe(spec), answer);
            return bug switch
            {
                Bug.InfiniteAnswer => v with { Reward = double.PositiveInfinity },
                Bug.ThrowAnswer => throw new InvalidOperationException("planted answer bug"),
                _ => v,
            };
        }

        protected override Solution? Solve(SortEnvironment.Spec spec) => _inner.Solve(Probe(spec));
    }

    [TestCase(Bug.NaNStep, "process reward NaN")]
    [TestCase(Bug.OutOfRangeStep, "process reward 7")]
    [TestCase(Bug.ThrowStep, "IndexOutOfRangeException")]
    public void AStepBugIsAnEnvironmentErrorNamingTheEnvironment(Bug bug, string detail)
    {
        var env = new Broken(bug);
        var p = env.Sample(1, 2);
        var state = env.Start(p);
        var verdicts = env.Solve(p)!.Steps.Select(s => env.CheckStep(p, state, s)).ToList();
        var fault = verdicts.First(v => v.Kind == VerdictKind.EnvironmentError);
        Assert.That(fault.Reason, Does.Contain($"'{env.Name}'").And.Contain("CheckStep").And.Contain(detail));
        Assert.That(fault.Valid, Is.False);
        Assert.That(double.IsFinite(fault.ProcessReward), Is.True);
    }

    // An environment that implements IEnvironment itself (as a plug-in may): countdown, but its step verifier slices
    // past the end of the text, which throws an ArgumentOutOfRangeException from inside the environment.
    private sealed class Unguarded : IEnvironment
    {
        private readonly IEnvironment _inner = EnvironmentRegistry.Default.Get("countdown");
        public string Name => _inner.Name;
        public string Description => _inner.Description;
        public DifficultySpec Difficulty => _inner.Difficulty;
        public RewardRange ProcessRewardRange => _inner.ProcessRewardRange;
        public bool HasReferenceSolver => _inner.HasReferenceSolver;
        public Problem Sample(ulong seed, int difficulty) => _inner.Sample(seed, difficulty);
        public Problem Load(ProblemRecord record) => _inner.Load(record);
        public EnvState Start(Problem problem) => _inner.Start(problem);
        public StepVerdict CheckStep(Problem problem, EnvState state, string stepText) =>
            _inner.CheckStep(problem, state, stepText.Substring(0, stepText.Length + 1));
        public AnswerVerdict CheckAnswer(Problem problem, string answerText) => _inner.CheckAnswer(problem, answerText);
        public Solution? Solve(Problem problem) => _inner.Solve(problem);
    }

    [Test]
    public void AnArgumentExceptionFromInsideAnEnvironmentIsItsFaultAndAForeignProblemIsTheCallers()
    {
        var env = new Unguarded();
        var p = env.Sample(1, 2);
        var v = EnvironmentGuard.CheckStep(env, p, env.Start(p), "3 + 4 = 7");
        Assert.That(v.Kind, Is.EqualTo(VerdictKind.EnvironmentError));
        Assert.That(v.Reason, Does.Contain("'countdown'").And.Contain("ArgumentOutOfRangeException"));
        // A problem of another environment is the caller's mistake, and still throws.
        var foreign = EnvironmentRegistry.Default.Get("arith").Sample(1, 1);
        Assert.Throws<ArgumentException>(() => EnvironmentGuard.CheckAnswer(env, foreign, "1"));
    }

    [TestCase(Bug.InfiniteAnswer, "outcome reward")]
    [TestCase(Bug.ThrowAnswer, "planted answer bug")]
    public void AnAnswerBugIsAnEnvironmentError(Bug bug, string detail)
    {
        var env = new Broken(bug);
        var p = env.Sample(1, 2);
        var v = env.CheckAnswer(p, p.Answer);
        Assert.That(v.Kind, Is.EqualTo(VerdictKind.EnvironmentError));
        Assert.That(v.Reason, Does.Contain($"'{env.Name}'").And.Contain("CheckAnswer").And.Contain(detail));
    }

    [TestCase(1)]
    [TestCase(4)]
    public void AStartBugStopsTheRunNamingTheEnvironmentAtAnyWorkerCount(int workers)
    {
        // No verdict can stand for a start state, so the run stops, with the environment named, the same way on one
        // worker and on several.
        var env = new Broken(Bug.ThrowStart);
        using var world = World.Create(2);
        world.ParallelWorkers = workers;
        var pipeline = ContinuousRun.Build(world, new ContinuousRunSpec(env, 2, PolicySpec.Parse("simulated:skill=0.8"), null, "bon", null, 16, RunBudget.Parse("attempts:2"), 2));
        var ex = Assert.Throws<EnvironmentFaultException>(() => pipeline.Run(3));
        Assert.That(ex!.Message, Does.Contain("'broken-throwstart'").And.Contain("Start").And.Contain("planted start bug"));
    }

    [Test]
    public void ARunRecordsTheFaultsAndGoesOn()
    {
        var env = new Broken(Bug.ThrowStep);
        using var world = World.Create(2);
        var spec = new ContinuousRunSpec(env, 2, PolicySpec.Parse("simulated:skill=0.8"), null, "bon", null, 16, RunBudget.Parse("attempts:2"), 2);
        var pipeline = ContinuousRun.Build(world, spec);
        pipeline.Run(30);
        var m = world.Resources.Get<SearchRun>().Metrics;
        Assert.That(m.Episodes, Is.GreaterThan(20), "episodes still end");
        Assert.That(m.EnvironmentErrors, Is.GreaterThan(0));
        Assert.That(m.FaultedEpisodes, Is.GreaterThan(0).And.LessThanOrEqualTo(m.Episodes));
        Assert.That(m.FirstEnvironmentError, Does.Contain("'broken-throwstep'").And.Contain("CheckStep"));
    }

    [Test]
    public void VerifyExitsThreeNamingTheEnvironment()
    {
        var env = new Broken(Bug.NaNStep);
        if (EnvironmentRegistry.Default.Find(env.Name) is null) EnvironmentRegistry.Default.Register(env);
        var p = env.Sample(4, 1);
        string dir = Path.Combine(Path.GetTempPath(), $"sim-fault-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            string problem = Path.Combine(dir, "p.json"), steps = Path.Combine(dir, "steps.txt");
            File.WriteAllText(problem, p.ToRecord().ToJson());
            File.WriteAllLines(steps, Enumerable.Repeat("swap 0", 6));
            var (code, stdout, stderr) = CliTests.Run("verify", "--env", env.Name, "--problem", problem, "--steps", steps, "--json");
            Assert.That(code, Is.EqualTo(3), stderr);
            Assert.That(stderr, Does.Contain("'broken-nanstep'"));
            Assert.That(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(6), "every verdict is printed before the error");
            Assert.That(stdout, Does.Contain("\"kind\":\"environment_error\""));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void SlowVerifierCallsAreCountedAgainstTheLimit()
    {
        var env = new SortEnvironment();
        env.Timings.LimitMs = 1e-6; // every timed call is "slow"
        var p = env.Sample(2, 2);
        var state = env.Start(p);
        for (int i = 0; i < 10 * VerifierTimings.SampleEvery; i++) env.CheckStep(p, state, "swap 0");
        Assert.That(env.Timings.TimedCalls, Is.InRange(9, 11), "one call in SampleEvery is timed");
        Assert.That(env.Timings.SlowCalls, Is.EqualTo(env.Timings.TimedCalls));
        Assert.That(env.Timings.SlowestMs, Is.GreaterThan(0));
        var fast = new SortEnvironment();
        for (int i = 0; i < 10 * VerifierTimings.SampleEvery; i++) fast.CheckStep(p, fast.Start(p), "swap 0");
        Assert.That(fast.Timings.SlowCalls, Is.EqualTo(0), "a sort step takes far less than 100 ms");
    }
}
