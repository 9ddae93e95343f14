using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Code;

namespace Sim.Tests.Environments;

public sealed class CodeTests
{
    private static readonly IEnvironment Env = EnvironmentRegistry.Default.Get("code");

    private static Problem Task(string id)
    {
        for (int d = 1; d <= 5; d++)
            for (ulong s = 0; s < 200; s++)
            {
                var p = Env.Sample(s, d);
                if (((CodeTask)p.Spec).Id == id) return p;
            }
        throw new InvalidOperationException(id);
    }

    [Test]
    public void CatalogHasFortyGradedTasksWhoseReferencesPass()
    {
        var tasks = CodeCatalog.Tasks;
        Assert.That(tasks, Has.Count.GreaterThanOrEqualTo(40));
        Assert.That(tasks.Select(t => t.Id).Distinct().Count(), Is.EqualTo(tasks.Count));
        for (int d = 1; d <= 5; d++) Assert.That(tasks.Count(t => t.Difficulty == d), Is.GreaterThanOrEqualTo(8));
        var sandbox = new JsSandbox();
        foreach (var t in tasks)
        {
            Assert.That(t.Tests, Has.Count.GreaterThanOrEqualTo(5), t.Id);
            Assert.That(sandbox.Run(t.Reference, t.Function, t.Tests).Kind, Is.EqualTo(VerdictKind.Ok), t.Id);
        }
    }

    [Test]
    public void ProceduralFamiliesMakeDistinctDeterministicTasks([Values("poly", "affine-map", "filter-count", "caesar")] string family)
    {
        var sandbox = new JsSandbox();
        var ids = new HashSet<string>();
        for (ulong seed = 0; seed < 6; seed++)
        {
            var a = new Rng(seed);
            var b = new Rng(seed);
            var t1 = CodeFamilies.Generate(sandbox, family, ref a, 3);
            var t2 = CodeFamilies.Generate(sandbox, family, ref b, 3);
            Assert.That(t1, Is.EqualTo(t2).Using<CodeTask>((x, y) => x.Id == y.Id && x.Tests.SequenceEqual(y.Tests)));
            Assert.That(sandbox.Run(t1.Reference, t1.Function, t1.Tests).Kind, Is.EqualTo(VerdictKind.Ok));
            ids.Add(t1.Id);
        }
        Assert.That(ids.Count, Is.GreaterThan(1));
    }

    [Test]
    public void VerdictsForRightWrongMalformedAndHostileSubmissions()
    {
        var p = Task("sum-array");
        var s0 = Env.Start(p);
        var right = Env.CheckStep(p, s0, "function sumArray(nums) { return nums.reduce((a, b) => a + b, 0); }");
        Assert.That((right.Kind, right.ProcessReward, right.Terminal), Is.EqualTo((VerdictKind.Ok, 1.0, true)), right.Reason);

        var partial = Env.CheckStep(p, s0, "function sumArray(nums) { return nums.length ? nums.reduce((a, b) => a + b) : 1; }");
        Assert.That(partial.Kind, Is.EqualTo(VerdictKind.WrongAnswer));
        Assert.That(partial.ProcessReward, Is.EqualTo(0.8), "4 of 5 tests pass");
        Assert.That(partial.State, Is.SameAs(s0));

        Assert.That(Env.CheckStep(p, s0, "function sumArray(nums) { return nums.reduce(( }").Kind, Is.EqualTo(VerdictKind.SyntaxError));
        Assert.That(Env.CheckStep(p, s0, "function sumArray(nums) { return nums.foo(); }").Kind, Is.EqualTo(VerdictKind.RuntimeError));
        Assert.That(Env.CheckStep(p, s0, "function sumArray(nums) { while (true) {} }").Kind, Is.EqualTo(VerdictKind.Timeout));
        Assert.That(Env.CheckStep(p, s0, "function sumArray(nums) { return 'x'.repeat(3e8).length; }").Kind, Is.EqualTo(VerdictKind.MemoryLimit));
        Assert.That(Env.CheckStep(p, s0, "function sumArray(nums) { return sumArray(nums); }").Kind, Is.EqualTo(VerdictKind.RecursionLimit));
        Assert.That(Env.CheckStep(p, s0, "").Kind, Is.EqualTo(VerdictKind.RuntimeError), "defines no function");

        var answer = Env.CheckAnswer(p, "function sumArray(nums) { return 0; }");
        Assert.That((answer.Correct, answer.Reward), Is.EqualTo((false, 0.0)));
        Assert.That(answer.Score, Is.EqualTo(0.4).Within(1e-9), "two of five tests ([] and [-1, 1]) expect 0");
        Assert.That(Env.CheckAnswer(p, p.Answer).Correct, Is.True);
    }

    [Test]
    public void LoadedTasksFromJsonlRunTheirOwnTests()
    {
        var row = ProblemRecord.Parse("""
            {"id": "mine", "question": "double it", "answer": "function dbl(x) { return 2 * x; }",
             "metadata": {"env": "code", "function": "dbl", "tests": [{"args": [2], "expected": 4}, {"args": [-1], "expected": -2}]}}
            """);
        var p = EnvironmentRegistry.Default.Load(row);
        Assert.That(Env.CheckAnswer(p, "function dbl(x) { return x + x; }").Correct, Is.True);
        Assert.That(Env.CheckAnswer(p, "function dbl(x) { return x * x; }").Score, Is.EqualTo(0.5));
        Assert.Throws<InvalidDataException>(() => EnvironmentRegistry.Default.Load(ProblemRecord.Parse(
            """{"id": "x", "question": "q", "answer": "", "metadata": {"env": "code", "function": "a b", "tests": [{"args": [], "expected": 1}]}}""")));
    }
}
