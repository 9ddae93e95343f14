using NUnit.Framework;
using Sim.Environments;
using Sim.Environments.Countdown;
using Sim.Environments.Exact;

namespace Sim.Tests.Environments;

public sealed class CountdownTests
{
    private static readonly IEnvironment Game24 = EnvironmentRegistry.Default.Get("game24");
    private static readonly IEnvironment Countdown = EnvironmentRegistry.Default.Get("countdown");

    private static Problem Game24Of(params int[] numbers) => Game24.Load(new ProblemRecord("t", "q", "", new System.Text.Json.Nodes.JsonObject
    {
        ["numbers"] = new System.Text.Json.Nodes.JsonArray(numbers.Select(n => (System.Text.Json.Nodes.JsonNode)n).ToArray()),
        ["target"] = 24,
    }));

    [Test]
    public void OracleKnowsClassicHands()
    {
        var solver = new CountdownSolver(24, allowRationals: true, mustUseAll: true);
        Assert.That(solver.CanReach([8, 3, 4, 4]), Is.True);
        Assert.That(solver.CanReach([3, 3, 8, 8]), Is.True, "8/(3-8/3) needs rationals");
        Assert.That(solver.CanReach([1, 1, 1, 1]), Is.False);
        Assert.That(new CountdownSolver(24, allowRationals: false, mustUseAll: true).CanReach([3, 3, 8, 8]), Is.False,
            "without fractions 3 3 8 8 has no solution");
        // Subset rules: the target alone is enough.
        Assert.That(new CountdownSolver(7, false, false).CanReach([7, 100, 3]), Is.True);
        Assert.That(new CountdownSolver(7, false, true).CanReach([7, 100, 3]), Is.False);
    }

    [Test]
    public void StepsGiveExactValues()
    {
        var p = Game24Of(8, 3, 4, 4);
        var s0 = Game24.Start(p);
        var good = Game24.CheckStep(p, s0, "8 - 3 = 5");
        Assert.That(good.Valid, Is.True);
        Assert.That(good.SolvableFromHere, Is.EqualTo(Solvability.Yes));
        Assert.That(good.ProcessReward, Is.EqualTo(1.0));
        Assert.That(good.State.ToString(), Is.EqualTo("[4, 4, 5]"));

        // Every valid first step's value agrees with the oracle, and some valid steps are dead ends.
        var oracle = new CountdownSolver(24, allowRationals: true, mustUseAll: true);
        int deadEnds = 0;
        foreach (var (a, b, i, j) in new[] { (8, 3, 0, 1), (8, 4, 0, 2), (3, 4, 1, 2), (4, 4, 2, 3) })
        {
            foreach (char op in "+-*/")
            {
                Rational r = op switch { '+' => a + b, '-' => a - b, '*' => a * b, _ => Rational.Create(a, b) };
                var v = Game24.CheckStep(p, s0, $"{a} {op} {b} = {(r.IsInteger ? r.ToString() : $"({r})")}");
                Assert.That(v.Valid, Is.True, v.Reason);
                var rest = new List<Rational> { 8, 3, 4, 4 };
                rest.RemoveAt(j); rest.RemoveAt(i); rest.Add(r);
                bool can = oracle.CanReach(rest.ToArray());
                Assert.That(v.SolvableFromHere, Is.EqualTo(can ? Solvability.Yes : Solvability.No));
                Assert.That(v.ProcessReward, Is.EqualTo(can ? 1.0 : 0.2));
                if (!can) deadEnds++;
            }
        }
        Assert.That(deadEnds, Is.GreaterThan(0));

        var s1 = Game24.CheckStep(p, good.State, "5*4=20").State;
        var last = Game24.CheckStep(p, s1, "20 + 4 = 24");
        Assert.That(last.Terminal && last.Valid && last.SolvableFromHere == Solvability.Yes, Is.True);
        Assert.That(s0.ToString(), Is.EqualTo("[8, 3, 4, 4]"), "states are immutable");
    }

    [TestCase("8 - 3 = 6", VerdictKind.Invalid)]
    [TestCase("7 + 1 = 8", VerdictKind.Invalid)]
    [TestCase("3 + 3 = 6", VerdictKind.Invalid)]
    [TestCase("3 / 0 = 0", VerdictKind.Invalid)]
    [TestCase("eight minus three", VerdictKind.Malformed)]
    [TestCase("", VerdictKind.Malformed)]
    [TestCase("8 - 3", VerdictKind.Malformed)]
    [TestCase("99999999999999999999999999999 * 3 = 1", VerdictKind.Invalid)]
    public void RejectsWrongAndMalformedSteps(string step, VerdictKind kind)
    {
        var p = Game24Of(8, 3, 4, 4);
        var v = Game24.CheckStep(p, Game24.Start(p), step);
        Assert.That(v.Kind, Is.EqualTo(kind), v.Reason);
        Assert.That(v.ProcessReward, Is.EqualTo(0.0));
        Assert.That(v.State.ToString(), Is.EqualTo("[8, 3, 4, 4]"));
    }

    [Test]
    public void TvRulesRefuseFractionsAndNegatives()
    {
        var p = Countdown.Load(new ProblemRecord("t", "q", "", new System.Text.Json.Nodes.JsonObject
        {
            ["numbers"] = new System.Text.Json.Nodes.JsonArray(25, 4, 3, 7),
            ["target"] = 100,
        }));
        var s0 = Countdown.Start(p);
        Assert.That(Countdown.CheckStep(p, s0, "3 - 7 = -4").Kind, Is.EqualTo(VerdictKind.Invalid));
        Assert.That(Countdown.CheckStep(p, s0, "7 / 3 = 7/3").Kind, Is.EqualTo(VerdictKind.Invalid));
        var v = Countdown.CheckStep(p, s0, "25 * 4 = 100");
        Assert.That(v.Valid && v.Terminal, Is.True, "subset rules: reaching the target ends the episode");
        Assert.That(Countdown.CheckAnswer(p, "25*4").Correct, Is.True);
        Assert.That(Countdown.CheckAnswer(p, "7/3*3*25+25").Kind, Is.EqualTo(VerdictKind.Invalid));
    }

    [TestCase("(8-3)*4+4", true)]
    [TestCase("4 + 4 * (8 - 3)", true)]
    [TestCase("(8 − 3) × 4 + 4 = 24", true)]
    [TestCase("8 - 3 = 5\n5 * 4 = 20\n20 + 4 = 24", true)]
    [TestCase("8*3", false)]
    [TestCase("(8+4)*(4-3)", false)]
    [TestCase("8*3*1", false)]
    public void ChecksExpressionAnswers(string answer, bool correct)
    {
        var p = Game24Of(8, 3, 4, 4);
        var v = Game24.CheckAnswer(p, answer);
        Assert.That(v.Correct, Is.EqualTo(correct), v.Reason);
        Assert.That(v.Reward, Is.EqualTo(correct ? 1.0 : 0.0));
    }

    [TestCase("8*3*4*4*4")]
    [TestCase("((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((8))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))")]
    [TestCase("8 * 3 + (4 - 4")]
    [TestCase("24")]
    [TestCase("\u0000\uffff\ud800")]
    [TestCase("-8+32")]
    [TestCase("8=24")]
    public void HostileAnswersAreVerdicts(string answer)
    {
        var p = Game24Of(8, 3, 4, 4);
        var v = Game24.CheckAnswer(p, answer);
        Assert.That(v.Correct, Is.False);
        Assert.That(v.Reason, Is.Not.Empty);
        Assert.That(Game24.CheckAnswer(p, new string('(', 100_000)).Kind, Is.EqualTo(VerdictKind.Malformed));
    }

    [Test]
    public void SamplesAreDeterministicSolvableAndSolvedByTheReference([Values("countdown", "game24")] string name)
    {
        var env = EnvironmentRegistry.Default.Get(name);
        for (int d = env.Difficulty.Min; d <= Math.Min(env.Difficulty.Max, 4); d++)
        {
            for (ulong seed = 0; seed < 5; seed++)
            {
                var a = env.Sample(seed, d);
                var b = env.Sample(seed, d);
                Assert.That(a.ToRecord().ToJson(), Is.EqualTo(b.ToRecord().ToJson()));
                var sol = env.Solve(a);
                Assert.That(sol, Is.Not.Null, a.ToString());
                var spec = (CountdownSpec)a.Spec;
                Assert.That(env.Solve(a), Is.SameAs(sol), "the reference is solved once per problem");
                Assert.That(sol!.Steps, Is.EqualTo(spec.Solver.Solve(spec.Numbers)!.Steps), "and is the solver's solution");
                Assert.That(sol.Answer, Is.EqualTo(a.Answer));
                var state = env.Start(a);
                foreach (var step in sol!.Steps)
                {
                    var v = env.CheckStep(a, state, step);
                    Assert.That(v.Valid && v.SolvableFromHere == Solvability.Yes, Is.True, $"{a}: {step}: {v.Reason}");
                    state = v.State;
                }
                Assert.That(env.CheckAnswer(a, sol.Answer).Correct, Is.True, $"{a}: {sol.Answer}");
                Assert.That(env.CheckAnswer(a, a.Answer).Correct, Is.True, "the ground truth is accepted");
                var reloaded = env.Load(ProblemRecord.Parse(a.ToRecord().ToJson()));
                Assert.That(env.CheckAnswer(reloaded, sol.Answer).Correct, Is.True, "JSONL round trip");
            }
        }
        Assert.That(env.Sample(1, 2).ToRecord().ToJson(), Is.Not.EqualTo(env.Sample(2, 2).ToRecord().ToJson()));
    }

    [Test]
    public void UnsolvableProblemsOnRequest()
    {
        var env = new CountdownEnvironment(CountdownConfig.Game24 with { Name = "g24u", UnsolvableFraction = 1.0 });
        var p = env.Sample(3, 2);
        Assert.That(env.Solve(p), Is.Null);
        Assert.That(env.CheckAnswer(p, "no solution").Correct, Is.True);
        Assert.That(env.Start(p) is CountdownState, Is.True);
    }

    [Test]
    public void BigNumbersStayExact()
    {
        var solver = new CountdownSolver(Rational.Create(System.Numerics.BigInteger.Pow(10, 30), 1), true, true);
        Rational t = 1_000_000_000_000_000_000L;
        Assert.That(solver.CanReach([t, t / 1_000_000]), Is.True);
        Assert.That(solver.CanReach([t, t / 1000]), Is.False);
    }
}
