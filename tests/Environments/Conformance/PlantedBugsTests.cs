using System.Text.Json.Nodes;
using NUnit.Framework;
using Sim.Environments;
using Sim.Environments.Conformance;

namespace Sim.Tests.Environments.Conformance;

/// <summary>
/// The checker earns its name: each of a dozen deliberately broken variants of the worked sort example fails the check
/// that is about its bug (or, for a slow verifier, gets the timing warning), and the unbroken example passes.
/// </summary>
public class PlantedBugsTests
{
    public enum Bug
    {
        None, AcceptsAnyAnswer, NaNReward, OutOfRangeReward, ThrowsOnOddText, OverflowsOnBigNumber, LosesMetadata,
        NondeterministicSample, NondeterministicVerdict, RejectMovesState, MutatesState, BadReferenceStep, IgnoresDifficultyRange,
        ConstantSample, Slow,
    }

    // The worked sort example (tests/Environments/SortEnvironmentExample.cs) with one planted bug.
    private sealed class Buggy(Bug bug) : TaskEnvironment<SortEnvironment.Spec, SortEnvironment.State>
    {
        private readonly SortEnvironment _inner = new();
        private static int _counter;

        public override string Name => "buggy-sort";
        public override string Description => "the sort example with a planted bug";
        public override DifficultySpec Difficulty => _inner.Difficulty;

        public override Problem Sample(ulong seed, int difficulty)
        {
            if (bug != Bug.IgnoresDifficultyRange) Difficulty.Check(difficulty);
            if (bug == Bug.NondeterministicSample) seed += (ulong)Interlocked.Increment(ref _counter);
            if (bug == Bug.ConstantSample) seed = 0;
            return Retag(_inner.Sample(seed, Math.Clamp(difficulty, Difficulty.Min, Difficulty.Max)));
        }

        public override Problem Load(ProblemRecord record)
        {
            var p = _inner.Load(record);
            if (bug != Bug.LosesMetadata) return Retag(p);
            // Rebuilds from all but the last item: the question and the metadata text survive, the problem does not.
            var items = ((SortEnvironment.Spec)p.Spec).Items;
            return Retag(p, new SortEnvironment.Spec(items[..^1]));
        }

        private Problem Retag(Problem p, SortEnvironment.Spec? spec = null) =>
            new(Name, p.Id, p.Question, p.Answer, p.Difficulty, p.Seed, (JsonObject)p.Parameters.DeepClone(), spec ?? p.Spec);

        private Problem Inner(SortEnvironment.Spec spec) => new("sort", "x", "", "", 1, 0, new JsonObject(), spec);

        protected override SortEnvironment.State Start(SortEnvironment.Spec spec) => (SortEnvironment.State)_inner.Start(Inner(spec));

        protected override StepVerdict CheckStep(SortEnvironment.Spec spec, SortEnvironment.State state, string step)
        {
            if (bug == Bug.ThrowsOnOddText && step.Contains('(')) throw new FormatException("unexpected '('");
            if (bug == Bug.OverflowsOnBigNumber && step.StartsWith("swap ") && step.Length > 12) checked { _ = int.Parse(step[5..]) * 2; }
            if (bug == Bug.Slow && step == "swap 0") Thread.Sleep(80);
            if (bug == Bug.MutatesState && state.Items.Length > 1) (state.Items[0], state.Items[1]) = (state.Items[1], state.Items[0]);
            var v = _inner.CheckStep(Inner(spec), state, step);
            return bug switch
            {
                Bug.NaNReward when v.Valid => v with { ProcessReward = double.NaN },
                Bug.OutOfRangeReward when v.Valid => v with { ProcessReward = 2 },
                Bug.NondeterministicVerdict => v with { ProcessReward = (Interlocked.Increment(ref _counter) & 1) * 0.5 },
                Bug.RejectMovesState when !v.Valid => v with { State = new SortEnvironment.State([.. state.Items.Reverse()]) },
                _ => v,
            };
        }

        protected override AnswerVerdict CheckAnswer(SortEnvironment.Spec spec, string answer) =>
            bug == Bug.AcceptsAnyAnswer ? AnswerVerdict.Right("fine") : _inner.CheckAnswer(Inner(spec), answer);

        protected override Solution? Solve(SortEnvironment.Spec spec)
        {
            var s = _inner.Solve(Inner(spec));
            if (s is null || bug != Bug.BadReferenceStep) return s;
            return new Solution([.. s.Steps.Prepend("swap 99")], s.Answer);
        }
    }

    private static IReadOnlyList<ConformanceChecker.CheckResult> Check(IEnvironment env) =>
        new ConformanceChecker(new ConformanceChecker.Options(Seeds: 2, FuzzPerProblem: 60)).Check(env);

    [TestCase(Bug.AcceptsAnyAnswer, "wrong_answers")]
    [TestCase(Bug.NaNReward, "verdict_consistency")]
    [TestCase(Bug.OutOfRangeReward, "verdict_consistency")]
    [TestCase(Bug.ThrowsOnOddText, "fuzz")]
    [TestCase(Bug.OverflowsOnBigNumber, "fuzz")]
    [TestCase(Bug.LosesMetadata, "jsonl_round_trip")]
    [TestCase(Bug.NondeterministicSample, "determinism")]
    [TestCase(Bug.NondeterministicVerdict, "verdict_consistency")]
    [TestCase(Bug.RejectMovesState, "verdict_consistency")]
    [TestCase(Bug.MutatesState, "verdict_consistency")]
    [TestCase(Bug.BadReferenceStep, "reference_solver")]
    [TestCase(Bug.IgnoresDifficultyRange, "contract")]
    [TestCase(Bug.ConstantSample, "determinism")]
    public void EachPlantedBugFailsItsCheck(Bug bug, string check)
    {
        var results = Check(new Buggy(bug));
        var failed = results.Where(r => !r.Passed).ToDictionary(r => r.Name, r => r.Failure);
        Assert.That(failed.Keys, Does.Contain(check), $"{bug}: failed {string.Join("; ", failed.Select(kv => $"{kv.Key}: {kv.Value}"))}");
    }

    [Test]
    public void TheUnbrokenExamplePasses()
    {
        var results = Check(new Buggy(Bug.None));
        Assert.That(results.Where(r => !r.Passed).Select(r => $"{r.Name}: {r.Failure}"), Is.Empty);
        Assert.That(results.All(r => r.Warning is null), Is.True);
    }

    [Test]
    public void ASlowVerifierGetsAWarning()
    {
        var timing = Check(new Buggy(Bug.Slow)).Single(r => r.Name == "timing");
        Assert.That(timing.Passed, Is.True);
        Assert.That(timing.Warning, Does.Contain("CheckStep 'swap 0'").And.Contain("over 50 ms"));
    }

    // The built sim next to the test assembly, run as a user would: the cross-process check needs a real second process.
    private static (int Code, string Out, string Err) RunSim(params string[] args)
    {
        string sim = Path.Combine(TestContext.CurrentContext.TestDirectory, OperatingSystem.IsWindows() ? "sim.exe" : "sim");
        var start = new System.Diagnostics.ProcessStartInfo(sim) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "sim envs check finished");
        p.WaitForExit();
        return (p.ExitCode, output.Result, error.Result);
    }

    [Test]
    public void ASeedFromGetHashCodeFailsAcrossProcesses()
    {
        string plugin = typeof(HashSeededSort).Assembly.Location;
        var (code, stdout, stderr) = RunSim("envs", "check", "hash-seeded-sort", "--plugin", plugin, "--seeds", "2", "--fuzz", "5", "--json");
        Assert.That(code, Is.EqualTo(1), stderr);
        var checks = System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("passed").GetBoolean());
        Assert.That(checks["cross_process"], Is.False);
        Assert.That(checks["determinism"], Is.True, "in one process the seed is stable: only a second process shows the bug");
        var sort = RunSim("envs", "check", "sort", "--plugin", plugin, "--seeds", "2", "--fuzz", "5", "--json");
        Assert.That(sort.Code, Is.EqualTo(0), sort.Out + sort.Err);
        Assert.That(sort.Out, Does.Contain("\"cross_process\",\"passed\":true"));
    }
}
