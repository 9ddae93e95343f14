using NUnit.Framework;
using Sim.Environments;
using Sim.Environments.Conformance;

namespace Sim.Tests.Environments;

public sealed class WritingEnvironmentsTests
{
    [Test]
    public void TheDocsExamplePassesTheConformanceChecker()
    {
        var registry = EnvironmentRegistry.CreateBuiltIn();
        registry.Register(new SortEnvironment()); // the one registration line
        var results = new ConformanceChecker(new ConformanceChecker.Options(Seeds: 3, FuzzPerProblem: 20)).Check(registry.Get("sort"));
        Assert.That(results.Where(r => !r.Passed).Select(r => $"{r.Name}: {r.Failure}"), Is.Empty);
    }

    private sealed class Broken : TaskEnvironment<string, BrokenState>
    {
        public override string Name => "broken";
        public override string Description => "throws on odd input and is not deterministic";
        public override DifficultySpec Difficulty { get; } = new(1, 1, 1, "none");
        private int _calls;
        public override Problem Sample(ulong seed, int difficulty) =>
            new(Name, $"b{seed}-{_calls++}", "q", "a", Difficulty.Check(difficulty), seed, new(), "spec");
        public override Problem Load(ProblemRecord record) => new(Name, record.Id, record.Question, record.Answer, 1, null, new(), "spec");
        protected override BrokenState Start(string spec) => new();
        protected override StepVerdict CheckStep(string spec, BrokenState state, string step) =>
            step.Contains('(') ? throw new FormatException("boom") : new(VerdictKind.Ok, "ok", 2.0, state, Solvability.Unknown, false);
        protected override AnswerVerdict CheckAnswer(string spec, string answer) => answer == "a" ? AnswerVerdict.Right("yes") : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "no");
    }

    private sealed class BrokenState : EnvState
    {
        public override string ToString() => "s";
    }

    [Test]
    public void TheCheckerCatchesABrokenEnvironment()
    {
        var results = new ConformanceChecker(new ConformanceChecker.Options(Seeds: 2, FuzzPerProblem: 30)).Check(new Broken());
        var failed = results.Where(r => !r.Passed).Select(r => r.Name).ToArray();
        Assert.That(failed, Does.Contain("determinism"));
        Assert.That(failed, Does.Contain("verdict_consistency"), "process reward 2 is outside [0, 1]");
        Assert.That(failed, Does.Contain("fuzz"), "a step with '(' throws");
    }
}
