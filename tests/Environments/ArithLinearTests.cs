using System.Text.Json.Nodes;
using NUnit.Framework;
using Sim.Environments;

namespace Sim.Tests.Environments;

public sealed class ArithTests
{
    private static readonly IEnvironment Env = EnvironmentRegistry.Default.Get("arith");

    private static Problem Of(string expression) =>
        Env.Load(new ProblemRecord("t", "q", "", new JsonObject { ["expression"] = expression }));

    [Test]
    public void RightStepsMakeProgressAndFinish()
    {
        var p = Of("17 * 3 + (1/2)");
        var s = Env.Start(p);
        var v1 = Env.CheckStep(p, s, "17*3=51");
        Assert.That((v1.Kind, v1.ProcessReward, v1.Terminal), Is.EqualTo((VerdictKind.Ok, 1.0, false)));
        var v2 = Env.CheckStep(p, v1.State, "51 + 1/2 = 103/2");
        Assert.That((v2.Kind, v2.ProcessReward, v2.Terminal), Is.EqualTo((VerdictKind.Ok, 1.0, true)));
        Assert.That(Env.CheckAnswer(p, "103/2").Correct, Is.True);
        Assert.That(Env.CheckAnswer(p, "51.5").Correct, Is.True);
        Assert.That(Env.CheckAnswer(p, "206/4").Correct, Is.True);
        Assert.That(Env.CheckAnswer(p, "51.49").Kind, Is.EqualTo(VerdictKind.WrongAnswer));
    }

    [Test]
    public void HalvesAreEqualWhateverTheirForm()
    {
        var p = Of("1 / 2");
        foreach (var a in new[] { "0.5", "1/2", "2/4", " 0.50 " }) Assert.That(Env.CheckAnswer(p, a).Correct, Is.True, a);
    }

    [TestCase("17*3=52", VerdictKind.Invalid)]
    [TestCase("4*5=20", VerdictKind.Invalid)]
    [TestCase("17*3", VerdictKind.Malformed)]
    [TestCase("seventeen", VerdictKind.Malformed)]
    [TestCase("17/0=0", VerdictKind.Invalid)]
    [TestCase("1e999999*1=1", VerdictKind.Malformed)]
    public void WrongAndMalformedSteps(string step, VerdictKind kind)
    {
        var p = Of("17 * 3 + (1/2)");
        var v = Env.CheckStep(p, Env.Start(p), step);
        Assert.That(v.Kind, Is.EqualTo(kind), v.Reason);
        Assert.That(v.ProcessReward, Is.EqualTo(0.0));
    }

    [Test]
    public void CorrectButUselessStepsEarnLess()
    {
        var p = Of("17 * 3 + (1/2)");
        var v = Env.CheckStep(p, Env.Start(p), "17 + 3 = 20");
        Assert.That(v.Valid, Is.True);
        Assert.That(v.ProcessReward, Is.EqualTo(0.3));
        Assert.That(Env.CheckStep(p, v.State, "20 * 7 = 140").Kind, Is.EqualTo(VerdictKind.Invalid), "7 is not available");
        Assert.That(Env.CheckStep(p, v.State, "20 * 3 = 60").Valid, Is.True, "derived values are available");
    }

    [TestCase("")]
    [TestCase("99999999999999999999999999999999999999999999 * 99999999999999999999999 = 1")]
    [TestCase("\0\0\0")]
    [TestCase("=====")]
    public void HostileStepsAreVerdicts(string step)
    {
        var p = Of("1 + 2");
        Assert.That(Env.CheckStep(p, Env.Start(p), step).Valid, Is.False);
        Assert.That(Env.CheckAnswer(p, step).Correct, Is.False);
        Assert.That(Env.CheckStep(p, Env.Start(p), new string('9', 100_000) + "+1=1").Kind, Is.EqualTo(VerdictKind.Malformed));
    }

    [Test]
    public void BadExpressionsInFilesAreBadInput()
    {
        Assert.Throws<InvalidDataException>(() => Of("1 +"));
        Assert.Throws<InvalidDataException>(() => Of("1 / 0"));
        Assert.Throws<InvalidDataException>(() => Of(new string('(', 500) + "1" + new string(')', 500)));
    }
}

public sealed class LinearTests
{
    private static readonly IEnvironment Env = EnvironmentRegistry.Default.Get("linear");

    private static Problem Of(string equation) =>
        Env.Load(new ProblemRecord("t", "q", "", new JsonObject { ["equation"] = equation }));

    [Test]
    public void EquivalentStepsAreValid()
    {
        var p = Of("3(x + 2) = 5x - 4");
        var s = Env.Start(p);
        var v1 = Env.CheckStep(p, s, "3x + 6 = 5x - 4");
        Assert.That(v1.Valid, Is.True, v1.Reason);
        var v2 = Env.CheckStep(p, v1.State, "-2x = -10");
        Assert.That((v2.Valid, v2.ProcessReward), Is.EqualTo((true, 1.0)));
        var v3 = Env.CheckStep(p, v2.State, "x = 5");
        Assert.That((v3.Valid, v3.Terminal), Is.EqualTo((true, true)));
        Assert.That(Env.CheckAnswer(p, "x = 5").Correct, Is.True);
        Assert.That(Env.CheckAnswer(p, "5").Correct, Is.True);
        Assert.That(Env.CheckAnswer(p, "x=10/2").Correct, Is.True);
    }

    [TestCase("x = 6", VerdictKind.Invalid)]
    [TestCase("3x + 6 = 5x + 4", VerdictKind.Invalid)]
    [TestCase("x*x = 25", VerdictKind.Malformed)]
    [TestCase("x = ", VerdictKind.Malformed)]
    [TestCase("1/(x-5) = 0", VerdictKind.Malformed)]
    [TestCase("x = 5 = 5", VerdictKind.Malformed)]
    [TestCase("y = 5", VerdictKind.Malformed)]
    public void WrongAndMalformedSteps(string step, VerdictKind kind)
    {
        var p = Of("3(x + 2) = 5x - 4");
        var v = Env.CheckStep(p, Env.Start(p), step);
        Assert.That(v.Kind, Is.EqualTo(kind), v.Reason);
    }

    [TestCase("x = 6")]
    [TestCase("y = 5")]
    [TestCase("")]
    [TestCase("x = 5.0000001")]
    public void WrongAnswers(string answer) => Assert.That(Env.CheckAnswer(Of("2x = 10"), answer).Correct, Is.False);
}

public sealed class GeneratedMathTests
{
    [Test]
    public void EveryLevelIsDeterministicAndSolvedByTheReference([Values("arith", "linear")] string name)
    {
        var env = EnvironmentRegistry.Default.Get(name);
        for (int d = env.Difficulty.Min; d <= env.Difficulty.Max; d++)
        {
            for (ulong seed = 0; seed < 8; seed++)
            {
                var a = env.Sample(seed, d);
                Assert.That(env.Sample(seed, d).ToRecord().ToJson(), Is.EqualTo(a.ToRecord().ToJson()));
                var sol = env.Solve(a)!;
                var state = env.Start(a);
                StepVerdict last = default;
                foreach (var step in sol.Steps)
                {
                    last = env.CheckStep(a, state, step);
                    Assert.That(last.Valid, Is.True, $"{a.Question} | {step}: {last.Reason}");
                    state = last.State;
                }
                Assert.That(last.Terminal, Is.True, $"{a.Question}: the reference ends the episode");
                Assert.That(env.CheckAnswer(a, sol.Answer).Correct, Is.True);
                Assert.That(env.CheckAnswer(a, a.Answer).Correct, Is.True);
                var again = env.Load(ProblemRecord.Parse(a.ToRecord().ToJson()));
                Assert.That(again.Answer, Is.EqualTo(a.Answer));
            }
        }
    }
}
