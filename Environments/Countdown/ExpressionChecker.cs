using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>
/// Checks a whole-expression answer such as <c>(8-3)*4+4</c> (reasoning-gym's countdown answer format) exactly: it
/// parses with + − × ÷ and parentheses (no unary minus, no implicit multiplication), matches every literal against an
/// unused given number, applies the rules to every intermediate value, and evaluates over <see cref="Rational"/>.
/// An optional trailing <c>= value</c> must equal the expression's value. Allocates nothing for small values; nesting
/// deeper than <see cref="MaxDepth"/> and more than <see cref="MaxLiterals"/> literals are refused.
/// </summary>
public static class ExpressionChecker
{
    /// <summary>The deepest parenthesis nesting accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most number literals accepted.</summary>
    public const int MaxLiterals = 64;

    /// <summary>The outcome of a check.</summary>
    /// <param name="Kind"><see cref="VerdictKind.Ok"/> when the expression is well formed and follows the rules (its value may still miss the target).</param>
    /// <param name="Reason">Why not, when <paramref name="Kind"/> is not Ok.</param>
    /// <param name="Value">The exact value when Ok.</param>
    /// <param name="Used">How many numbers it used.</param>
    public readonly record struct Result(VerdictKind Kind, string Reason, Rational Value, int Used);

    private ref struct Parser
    {
        public ReadOnlySpan<char> S;
        public int Pos;
        public ReadOnlySpan<Rational> Numbers;
        public Span<bool> Used;
        public int UsedCount;
        public bool Integers;
        public string Error;
        public VerdictKind ErrorKind;

        private bool Fail(VerdictKind kind, string why)
        {
            if (Error is null) { Error = why; ErrorKind = kind; }
            return false;
        }

        private void Skip() { while (Pos < S.Length && (S[Pos] == ' ' || S[Pos] == '\t')) Pos++; }

        public bool Expr(int depth, out Rational value)
        {
            if (!Term(depth, out value)) return false;
            while (true)
            {
                Skip();
                if (Pos >= S.Length) return true;
                char op = BinaryStep.NormalizeOp(S[Pos]);
                if (op != '+' && op != '-') return true;
                Pos++;
                if (!Term(depth, out var rhs)) return false;
                value = op == '+' ? value + rhs : value - rhs;
                if (!Legal(value)) return false;
            }
        }

        private bool Term(int depth, out Rational value)
        {
            if (!Factor(depth, out value)) return false;
            while (true)
            {
                Skip();
                if (Pos >= S.Length) return true;
                char op = BinaryStep.NormalizeOp(S[Pos]);
                if (op != '*' && op != '/') return true;
                Pos++;
                if (!Factor(depth, out var rhs)) return false;
                if (op == '*') value *= rhs;
                else if (!Rational.TryDivide(value, rhs, out value)) return Fail(VerdictKind.Invalid, "division by zero");
                if (!Legal(value)) return false;
            }
        }

        private bool Legal(Rational v) =>
            !Integers || (v.Sign > 0 && v.IsInteger) || Fail(VerdictKind.Invalid, "an intermediate value is not a positive integer (the rules allow only exact division and positive results)");

        private bool Factor(int depth, out Rational value)
        {
            value = default;
            Skip();
            if (Pos >= S.Length) return Fail(VerdictKind.Malformed, "expression ends early");
            if (S[Pos] == '(')
            {
                if (depth >= MaxDepth) return Fail(VerdictKind.Malformed, "parentheses nested too deeply");
                Pos++;
                if (!Expr(depth + 1, out value)) return false;
                Skip();
                if (Pos >= S.Length || S[Pos] != ')') return Fail(VerdictKind.Malformed, "expected ')'");
                Pos++;
                return true;
            }
            if (!RationalParser.TryParseUnsigned(S, ref Pos, out value))
                return Fail(VerdictKind.Malformed, "expected a number or '('");
            for (int i = 0; i < Numbers.Length; i++)
            {
                if (!Used[i] && Numbers[i] == value)
                {
                    Used[i] = true;
                    UsedCount++;
                    return true;
                }
            }
            return Fail(VerdictKind.Invalid, "uses a number that is not given, or uses one more often than given");
        }
    }

    /// <summary>Evaluates <paramref name="text"/> against the given <paramref name="numbers"/>.</summary>
    /// <param name="text">The expression, optionally followed by <c>= value</c>.</param>
    /// <param name="numbers">The numbers the expression may use, each at most once.</param>
    /// <param name="integersOnly">True under the TV rules: every intermediate value must be a positive integer.</param>
    public static Result Evaluate(ReadOnlySpan<char> text, ReadOnlySpan<Rational> numbers, bool integersOnly)
    {
        if (numbers.Length > MaxLiterals) return new Result(VerdictKind.Malformed, "too many numbers", default, 0);
        Span<bool> used = stackalloc bool[numbers.Length];
        int eq = text.IndexOf('=');
        var body = eq >= 0 ? text[..eq] : text;
        var p = new Parser { S = body, Numbers = numbers, Used = used, Integers = integersOnly, Error = null! };
        int pos = 0;
        while (pos < body.Length && char.IsWhiteSpace(body[pos])) pos++;
        if (pos == body.Length) return new Result(VerdictKind.Malformed, "empty expression", default, 0);
        p.Pos = pos;
        if (!p.Expr(0, out var value)) return new Result(p.ErrorKind, p.Error, default, p.UsedCount);
        while (p.Pos < body.Length && char.IsWhiteSpace(body[p.Pos])) p.Pos++;
        if (p.Pos != body.Length) return new Result(VerdictKind.Malformed, "unexpected text in the expression", default, p.UsedCount);
        if (eq >= 0)
        {
            if (!RationalParser.TryParse(text[(eq + 1)..], out var claimed))
                return new Result(VerdictKind.Malformed, "the value after '=' is not a number", default, p.UsedCount);
            if (claimed != value) return new Result(VerdictKind.Invalid, "the expression does not equal the value after '='", default, p.UsedCount);
        }
        return new Result(VerdictKind.Ok, "", value, p.UsedCount);
    }
}
