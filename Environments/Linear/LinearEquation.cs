using Sim.Environments.Exact;

namespace Sim.Environments.Linear;

/// <summary>How many solutions a linear equation has.</summary>
public enum SolutionKind : byte
{
    /// <summary>Exactly one, <see cref="LinearEquation.Solution"/>.</summary>
    One,
    /// <summary>None (e.g. 0 = 1).</summary>
    None,
    /// <summary>Every x (e.g. x = x).</summary>
    All,
}

/// <summary>
/// A linear equation in one unknown, <c>x</c>, parsed exactly. The grammar: sums and differences of terms; a term is a
/// product or quotient of factors; a factor is a number (integer, decimal), <c>x</c>, a parenthesised expression or a
/// negated factor; a number or ')' directly followed by <c>x</c> or '(' multiplies (<c>3x</c>, <c>2(x+1)</c>). Anything
/// that is not linear (x·x, division by an expression in x) is refused.
/// </summary>
public sealed class LinearEquation
{
    /// <summary>The longest equation text accepted.</summary>
    public const int MaxLength = 1000;

    private LinearEquation(LinearForm left, LinearForm right, int size)
    {
        Left = left;
        Right = right;
        Size = size;
        var a = left.A - right.A;
        var b = right.B - left.B;
        if (!a.IsZero) { Kind = SolutionKind.One; Solution = b / a; }
        else Kind = b.IsZero ? SolutionKind.All : SolutionKind.None;
    }

    /// <summary>The left side, reduced.</summary>
    public LinearForm Left { get; }

    /// <summary>The right side, reduced.</summary>
    public LinearForm Right { get; }

    /// <summary>How many numbers and x's the text has: a measure of how far from solved it is.</summary>
    public int Size { get; }

    /// <summary>The shape of the solution set.</summary>
    public SolutionKind Kind { get; }

    /// <summary>The solution when <see cref="Kind"/> is <see cref="SolutionKind.One"/>.</summary>
    public Rational Solution { get; }

    /// <summary>True when the equation is in solved form: <c>x = v</c> or <c>v = x</c>.</summary>
    public bool IsSolvedForm { get; private init; }

    /// <summary>True when both equations have the same solution set.</summary>
    public bool SameSolutionsAs(LinearEquation other) =>
        Kind == other.Kind && (Kind != SolutionKind.One || Solution == other.Solution);

    /// <summary>Parses an equation; returns false with a one-line reason on bad input.</summary>
    public static bool TryParse(string text, out LinearEquation equation, out string error)
    {
        equation = null!;
        if (text.Length > MaxLength) { error = $"equation longer than {MaxLength} characters"; return false; }
        int eq = text.IndexOf('=');
        if (eq < 0 || text.IndexOf('=', eq + 1) >= 0) { error = "expected one '='"; return false; }
        var p = new Forms();
        if (!ExactExpression.TryParse<LinearForm, Forms>(text.AsSpan(0, eq), Syntax, ref p, out var left, out var e)) { error = e.Message; return false; }
        var q = new Forms();
        if (!ExactExpression.TryParse<LinearForm, Forms>(text.AsSpan(eq + 1), Syntax, ref q, out var right, out e)) { error = e.Message; return false; }
        bool leftIsX = p.Size == 1 && p.SawX && left.A == Rational.One && left.B.IsZero;
        bool rightIsX = q.Size == 1 && q.SawX && right.A == Rational.One && right.B.IsZero;
        equation = new LinearEquation(left, right, p.Size + q.Size)
        {
            IsSolvedForm = (leftIsX && !q.SawX) || (rightIsX && !p.SawX),
        };
        error = "";
        return true;
    }

    private static readonly ExpressionSyntax Syntax = new(MaxDepth: 40, UnaryMinus: true, UnaryPlus: true, ImplicitMultiplication: true, Variables: "xX");

    // An expression as a linear form A·x + B, counting its numbers and x's; anything not linear is refused.
    private struct Forms : IExpressionSemantics<LinearForm>
    {
        public int Size;
        public bool SawX;

        public string? Error { get; private set; }

        public bool Number(Rational value, out LinearForm result)
        {
            Size++;
            result = new LinearForm(Rational.Zero, value);
            return true;
        }

        public bool Variable(char name, out LinearForm result)
        {
            Size++;
            SawX = true;
            result = new LinearForm(Rational.One, Rational.Zero);
            return true;
        }

        public readonly bool Negate(in LinearForm value, out LinearForm result)
        {
            result = new LinearForm(-value.A, -value.B);
            return true;
        }

        public bool Apply(char op, in LinearForm left, in LinearForm right, out LinearForm result)
        {
            result = default;
            switch (op)
            {
                case '+': result = new LinearForm(left.A + right.A, left.B + right.B); return true;
                case '-': result = new LinearForm(left.A - right.A, left.B - right.B); return true;
                case '/':
                    if (!right.IsConstant) { Error = "division by an expression in x is not linear"; return false; }
                    if (right.B.IsZero) { Error = "division by zero"; return false; }
                    result = new LinearForm(left.A / right.B, left.B / right.B);
                    return true;
                default:
                    if (!left.IsConstant && !right.IsConstant) { Error = "x times x is not linear"; return false; }
                    result = left.IsConstant ? new LinearForm(right.A * left.B, right.B * left.B) : new LinearForm(left.A * right.B, left.B * right.B);
                    return true;
            }
        }
    }
}
