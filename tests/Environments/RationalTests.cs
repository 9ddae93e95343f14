using System.Numerics;
using NUnit.Framework;
using Sim.Environments.Exact;

namespace Sim.Tests.Environments;

public sealed class RationalTests
{
    [TestCase("0.5", "1/2")]
    [TestCase("2/4", "1/2")]
    [TestCase("-3/-6", "1/2")]
    [TestCase(" 7 ", "7")]
    [TestCase("1.25", "5/4")]
    [TestCase("\u22124/6", "-2/3")]
    public void ParsesToCanonicalForm(string text, string expected)
    {
        Assert.That(RationalParser.TryParse(text, out var r), Is.True);
        Assert.That(r.ToString(), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("1/0")]
    [TestCase("1e3")]
    [TestCase("--1")]
    [TestCase("1/2/3")]
    public void RejectsMalformed(string text) => Assert.That(RationalParser.TryParse(text, out _), Is.False);

    [Test]
    public void OverflowFallsBackToBigIntegerExactly()
    {
        Rational big = long.MaxValue;
        var sq = big * big;
        Assert.That(sq.IsSmall, Is.False);
        Assert.That(sq.Numerator, Is.EqualTo((BigInteger)long.MaxValue * long.MaxValue));
        Assert.That((sq / big) == big, Is.True, "dividing back gives the small canonical form");
        Assert.That((sq / big).IsSmall, Is.True);
        var third = Rational.Create(1, 3);
        Assert.That(third + third + third == Rational.One, Is.True);
        Assert.That((Rational.Create(long.MaxValue, 3) + Rational.Create(long.MaxValue, 5)).ToString(),
            Is.EqualTo((BigInteger.Parse("9223372036854775807") * 8).ToString() + "/15"));
    }

    [Test]
    public void ComparesExactly()
    {
        Assert.That(Rational.Create(1, 3) < Rational.Create(1, 2), Is.True);
        Assert.That(Rational.Create(-1, 3).CompareTo(Rational.Create(-1, 2)), Is.GreaterThan(0));
        Assert.That(RationalParser.TryParse("123456789012345678901234567890", out var huge), Is.True);
        Assert.That(huge > (Rational)long.MaxValue, Is.True);
    }

    [TestCase("17*3=51", "17", '*', "3", "51")]
    [TestCase("8 - 3 = 5", "8", '-', "3", "5")]
    [TestCase("1/2 + 1/3 = 5/6", "1/2", '+', "1/3", "5/6")]
    [TestCase("(8/3) * 3 = 8", "8/3", '*', "3", "8")]
    [TestCase("6/3=2", "6", '/', "3", "2")]
    [TestCase("-3 × 4 = -12", "-3", '*', "4", "-12")]
    public void ParsesSteps(string text, string a, char op, string b, string c)
    {
        Assert.That(BinaryStep.TryParse(text, out var s, out var err), Is.True, err);
        Assert.That((s.Left.ToString(), s.Op, s.Right.ToString(), s.Result.ToString()), Is.EqualTo((a, op, b, c)));
    }

    [TestCase("")]
    [TestCase("=")]
    [TestCase("1+2")]
    [TestCase("1+2+3=6")]
    [TestCase("x+1=2")]
    [TestCase("1 + = 2")]
    [TestCase("((1)+2=3")]
    public void RejectsBadSteps(string text) => Assert.That(BinaryStep.TryParse(text, out _, out var err), Is.False, err);
}
