using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>
/// Checks a whole-expression answer such as <c>(8-3)*4+4</c> (reasoning-gym's countdown answer format) exactly: it
/// parses with <see cref="ExactExpression"/> (+ − × ÷ and parentheses; no unary minus, no implicit multiplication),
/// matches every literal against an unused given number, applies the rules to every intermediate value, and evaluates
/// over <see cref="Rational"/>. An optional trailing <c>= value</c> must equal the expression's value. Allocates nothing
/// for small values; nesting deeper than <see cref="MaxDepth"/> and more than <see cref="MaxLiterals"/> literals are refused.
/// </summary>
public static class ExpressionChecker
{
    /// <summary>The deepest parenthesis nesting accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most number literals accepted.</summary>
    public const int MaxLiterals = 64;

    private static readonly ExpressionSyntax Syntax = new(MaxDepth: MaxDepth, UnaryMinus: false);

    /// <summary>The outcome of a check.</summary>
    /// <param name="Kind"><see cref="VerdictKind.Ok"/> when the expression is well formed and follows the rules (its value may still miss the target).</param>
    /// <param name="Reason">Why not, when <paramref name="Kind"/> is not Ok.</param>
    /// <param name="Value">The exact value when Ok.</param>
    /// <param name="Used">How many numbers it used.</param>
    public readonly record struct Result(VerdictKind Kind, string Reason, Rational Value, int Used);

    // Countdown's rules as expression semantics: each literal takes an unused given number; under the TV rules every
    // intermediate value is a positive integer.
    private ref struct Rules : IExpressionSemantics<Rational>
    {
        public ReadOnlySpan<Rational> Numbers;
        public Span<bool> Used;
        public int UsedCount;
        public bool Integers;

        public string? Error { get; private set; }

        public bool Number(Rational value, out Rational result)
        {
            result = value;
            for (int i = 0; i < Numbers.Length; i++)
            {
                if (!Used[i] && Numbers[i] == value)
                {
                    Used[i] = true;
                    UsedCount++;
                    return true;
                }
            }
            Error = "uses a number that is not given, or uses one more often than given";
            return false;
        }

        public bool Variable(char name, out Rational result)
        {
            result = default;
            Error = "countdown expressions have no variables";
            return false;
        }

        public bool Negate(in Rational value, out Rational result)
        {
            result = default;
            Error = "countdown expressions have no negation";
            return false;
        }

        public bool Apply(char op, in Rational left, in Rational right, out Rational result)
        {
            switch (op)
            {
                case '+': result = left + right; break;
                case '-': result = left - right; break;
                case '*': result = left * right; break;
                default:
                    if (!Rational.TryDivide(left, right, out result)) { Error = "division by zero"; return false; }
                    break;
            }
            if (Integers && !(result.Sign > 0 && result.IsInteger))
            {
                Error = "an intermediate value is not a positive integer (the rules allow only exact division and positive results)";
                return false;
            }
            return true;
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
        if (body.IsWhiteSpace()) return new Result(VerdictKind.Malformed, "empty expression", default, 0);
        var rules = new Rules { Numbers = numbers, Used = used, Integers = integersOnly };
        if (!ExactExpression.TryParse<Rational, Rules>(body, Syntax, ref rules, out var value, out var error))
            return new Result(error.Syntax ? VerdictKind.Malformed : VerdictKind.Invalid, error.Message, default, rules.UsedCount);
        if (eq >= 0)
        {
            if (!RationalParser.TryParse(text[(eq + 1)..], out var claimed))
                return new Result(VerdictKind.Malformed, "the value after '=' is not a number", default, rules.UsedCount);
            if (claimed != value) return new Result(VerdictKind.Invalid, "the expression does not equal the value after '='", default, rules.UsedCount);
        }
        return new Result(VerdictKind.Ok, "", value, rules.UsedCount);
    }
}
