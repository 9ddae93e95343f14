using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Arith;
using Sim.Environments.Countdown;
using Sim.Environments.Exact;
using Sim.Environments.Linear;

namespace Sim.Tests.Environments;

/// <summary>The one expression parser, and the three environments that read expressions through it.</summary>
public class ExactExpressionTests
{
    // Plain exact evaluation, the smallest semantics.
    private struct Evaluate : IExpressionSemantics<Rational>
    {
        public int Numbers;
        public string? Error { get; private set; }
        public bool Number(Rational value, out Rational result) { Numbers++; result = value; return true; }
        public readonly bool Variable(char name, out Rational result) { result = Rational.FromInt(10); return true; }
        public readonly bool Negate(in Rational value, out Rational result) { result = -value; return true; }
        public bool Apply(char op, in Rational l, in Rational r, out Rational result)
        {
            result = op switch { '+' => l + r, '-' => l - r, '*' => l * r, _ => default };
            if (op == '/' && !Rational.TryDivide(l, r, out result)) { Error = "division by zero"; return false; }
            return true;
        }
    }

    private static (bool Ok, Rational Value, ExpressionError Error) Parse(string text, ExpressionSyntax syntax)
    {
        var sem = new Evaluate();
        bool ok = ExactExpression.TryParse<Rational, Evaluate>(text, syntax, ref sem, out var v, out var e);
        return (ok, v, e);
    }

    [TestCase("1 + 2 * 3", "7")]
    [TestCase("(1 + 2) * 3", "9")]
    [TestCase("8 - 3 - 2", "3")]
    [TestCase("12 / 4 / 3", "1")]
    [TestCase("-3 * 2", "-6")]
    [TestCase("-(1 + 2)", "-3")]
    [TestCase("2 × 3 ÷ 4 − 1", "1/2")]
    [TestCase("  0.25 *4 ", "1")]
    [TestCase("3x + 2(x - 1)", "48")]
    public void EvaluatesWithTheUsualPrecedence(string text, string expected)
    {
        var (ok, value, error) = Parse(text, new ExpressionSyntax(ImplicitMultiplication: true, Variables: "x"));
        Assert.That(ok, Is.True, error.Message);
        Assert.That(RationalParser.TryParse(expected, out var want), Is.True);
        Assert.That(value, Is.EqualTo(want));
    }

    [TestCase("", true)]
    [TestCase("1 +", true)]
    [TestCase("(1 + 2", true)]
    [TestCase("1 2", true)]
    [TestCase("abc", true)]
    [TestCase("1 / 0", false)]
    [TestCase("1 / (2 - 2)", false)]
    public void RefusesWithAOneLineReason(string text, bool syntax)
    {
        var (ok, _, error) = Parse(text, new ExpressionSyntax());
        Assert.That(ok, Is.False);
        Assert.That(error.Syntax, Is.EqualTo(syntax));
        Assert.That(error.Message, Is.Not.Empty.And.Not.Contains("\n"));
    }

    [Test]
    public void GuardsAgainstHostileInput()
    {
        Assert.That(Parse(new string('(', 5000) + "1" + new string(')', 5000), new ExpressionSyntax()).Error.Message, Does.Contain("longer"));
        Assert.That(Parse(new string('(', 500) + "1" + new string(')', 500), new ExpressionSyntax()).Error.Message, Does.Contain("nested too deeply"));
        Assert.That(Parse(string.Concat(Enumerable.Repeat("-", 900)) + "1", new ExpressionSyntax()).Error.Message, Does.Contain("nested too deeply"));
        Assert.That(Parse("-1", new ExpressionSyntax(UnaryMinus: false)).Ok, Is.False, "a minus sign is refused where the syntax has none");
    }

    [Test]
    public void TheThreeEnvironmentsReadTheSameValue()
    {
        // Random expressions over distinct positive integers: arith's tree, countdown's checker (without the TV rules)
        // and a linear equation "e = x" all read one value.
        var rng = new Rng(17);
        int refused = 0, read = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var numbers = new List<Rational>();
            string Gen(int depth)
            {
                if (depth == 0 || rng.NextDouble() < 0.3)
                {
                    var n = Rational.FromInt(10 * numbers.Count + 1 + rng.NextInt(9));
                    numbers.Add(n);
                    return n.ToString();
                }
                char op = "+-*/"[rng.NextInt(4)];
                return $"({Gen(depth - 1)} {op} {Gen(depth - 1)})";
            }
            string text = Gen(4);
            var countdown = ExpressionChecker.Evaluate(text, numbers.ToArray(), integersOnly: false);
            Rational arith;
            try { arith = ArithExpression.Parse(text).Value; }
            catch (ArgumentException)
            {
                // A subexpression came to 0 and was divided by: every reader refuses it as against the rules.
                Assert.That((countdown.Kind, countdown.Reason), Is.EqualTo((VerdictKind.Invalid, "division by zero")), text);
                Assert.That(LinearEquation.TryParse($"{text} = x", out _, out var why), Is.False);
                Assert.That(why, Is.EqualTo("division by zero"));
                refused++;
                continue;
            }
            Assert.That(countdown.Kind, Is.EqualTo(VerdictKind.Ok), countdown.Reason);
            Assert.That(countdown.Value, Is.EqualTo(arith), text);
            Assert.That(LinearEquation.TryParse($"{text} = x", out var eq, out var err), Is.True, err);
            Assert.That(eq.Solution, Is.EqualTo(arith), text);
            read++;
        }
        Assert.That(read + refused, Is.EqualTo(300));
        Assert.That(read, Is.GreaterThan(250), "most random expressions are read");

        // Random distinct numbers rarely divide by zero, so that branch is pinned here: every reader refuses it.
        const string zero = "(11 / (21 - 21))";
        Assert.That(() => ArithExpression.Parse(zero), Throws.InstanceOf<ArgumentException>());
        var verdict = ExpressionChecker.Evaluate(zero, [Rational.FromInt(11), Rational.FromInt(21), Rational.FromInt(21)], integersOnly: false);
        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((VerdictKind.Invalid, "division by zero")));
        Assert.That(LinearEquation.TryParse($"{zero} = x", out _, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo("division by zero"));
    }
}
