using NUnit.Framework;
using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents;

public class DemonstratorTests
{
    private static readonly IEnvironment Env = new CountdownEnvironment();

    [TestCase(DemoStyle.Optimal)]
    [TestCase(DemoStyle.SosDfs)]
    [TestCase(DemoStyle.SosBfs)]
    [TestCase(DemoStyle.Human)]
    public void TracesAreCorrectAndFollowTheProtocol(DemoStyle style)
    {
        var demo = new Demonstrator(new DemonstratorConfig(MaxNodes: 40));
        var rng = new Rng(1);
        int written = 0;
        for (ulong seed = 0; seed < 60; seed++)
        {
            var p = Env.Sample(seed, 1);
            var row = demo.Demonstrate(Env, p, style, ref rng);
            if (row is null) continue;
            written++;
            Assert.That(row.Prompt, Does.EndWith("\n"));
            Assert.That(row.Completion, Does.EndWith("\n"));
            var lines = row.Completion.TrimEnd('\n').Split('\n');
            Assert.That(StepProtocol.Classify(lines[^1]), Is.EqualTo(StepKind.Answer));
            Assert.That(Env.CheckAnswer(p, StepProtocol.AnswerOf(lines[^1])).Correct, Is.True);
            // The effective steps replay validly.
            var state = Env.Start(p);
            foreach (var s in StepProtocol.EffectiveSteps(lines))
            {
                var v = Env.CheckStep(p, state, s);
                Assert.That(v.Valid, Is.True, $"{style}: {s} in\n{row.Completion}");
                state = v.State;
            }
            if (style == DemoStyle.Optimal) Assert.That(lines.Any(l => StepProtocol.Classify(l) is StepKind.Thought or StepKind.Correction), Is.False);
        }
        Assert.That(written, Is.GreaterThan(40));
    }

    [Test]
    public void HumanTracesShowTheSixBehaviours()
    {
        var demo = new Demonstrator(new DemonstratorConfig(DetourChance: 1.0));
        var rng = new Rng(2);
        var all = string.Join("\n", Enumerable.Range(0, 30).Select(i => demo.Demonstrate(Env, Env.Sample((ulong)i, 1), DemoStyle.Human, ref rng)!.Completion));
        Assert.That(all, Does.Contain("# Goal:"), "problem analysis");
        Assert.That(all, Does.Contain("# Plan:"), "decomposition");
        Assert.That(all, Does.Contain("# Check:"), "self-evaluation");
        Assert.That(all, Does.Contain("Wait: "), "self-correction");
        Assert.That(all, Does.Contain("# Alternatively"), "alternative proposal");
        Assert.That(all, Does.Match(@"\d+ [-+*/] \d+ = \d+"), "task completion");
    }

    [Test]
    public void SosDfsBacktracks()
    {
        var demo = new Demonstrator(new DemonstratorConfig(MaxNodes: 40));
        var rng = new Rng(3);
        var traces = Enumerable.Range(0, 40).Select(i => demo.Demonstrate(Env, Env.Sample((ulong)i, 1), DemoStyle.SosDfs, ref rng)).Where(r => r is not null).ToList();
        Assert.That(traces.Count(t => t!.Completion.Contains("Wait: backtrack")), Is.GreaterThan(5));
    }

    [Test]
    public void SameSeedGivesTheSameTrace()
    {
        var demo = new Demonstrator();
        var a = new Rng(9);
        var b = new Rng(9);
        var p = Env.Sample(5, 2);
        Assert.That(demo.Demonstrate(Env, p, DemoStyle.Human, ref a), Is.EqualTo(demo.Demonstrate(Env, p, DemoStyle.Human, ref b)));
    }
}
