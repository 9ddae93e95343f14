using System.Runtime.CompilerServices;

namespace Sim.Environments.Exact;

/// <summary>
/// The one parser of exact arithmetic expressions: recursive descent over sums, products, signs and parentheses, with
/// numbers read exactly (<see cref="RationalParser"/>: integers, decimals) and operators normalised (× · ÷ − accepted,
/// <see cref="BinaryStep.NormalizeOp"/>). What the expression means is the caller's <see cref="IExpressionSemantics{T}"/>;
/// what it may contain beyond the basics is its <see cref="ExpressionSyntax"/>. Allocates nothing itself, and never
/// throws on any text: bad input is an <see cref="ExpressionError"/>.
/// </summary>
public static class ExactExpression
{
    /// <summary>The longest text accepted.</summary>
    public const int MaxLength = 2000;

    /// <summary>
    /// Parses all of <paramref name="text"/> (surrounding white space allowed) with <paramref name="semantics"/>;
    /// returns false with the first error.
    /// </summary>
    public static bool TryParse<T, TSemantics>(ReadOnlySpan<char> text, in ExpressionSyntax syntax, ref TSemantics semantics, out T value, out ExpressionError error)
        where TSemantics : IExpressionSemantics<T>, allows ref struct
    {
        value = default!;
        if (text.Length > MaxLength) { error = new($"expression longer than {MaxLength} characters", true); return false; }
        var c = new Cursor { S = text, Syntax = syntax, HasVariables = syntax.Variables is { Length: > 0 } };
        if (!Parser<T, TSemantics>.Sum(ref c, ref semantics, 0, out value)) { error = c.Error; return false; }
        c.Skip();
        if (c.Pos != text.Length) { error = new($"unexpected '{text[c.Pos]}' at position {c.Pos + 1}", true); return false; }
        error = default;
        return true;
    }

    private ref struct Cursor
    {
        public ReadOnlySpan<char> S;
        public int Pos;
        public ExpressionSyntax Syntax;
        public bool HasVariables;
        public ExpressionError Error;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Skip()
        {
            // Answers rarely hold white space other than ' ': test that first.
            while (Pos < S.Length && (S[Pos] == ' ' || (S[Pos] <= ' ' || S[Pos] >= '\u0080') && char.IsWhiteSpace(S[Pos]))) Pos++;
        }

        public bool Fail(string message, bool syntax)
        {
            Error = new ExpressionError(message, syntax);
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool IsVariable(char ch) => HasVariables && Syntax.Variables.Contains(ch);
    }

    private static class Parser<T, TSemantics> where TSemantics : IExpressionSemantics<T>, allows ref struct
    {
        public static bool Sum(ref Cursor c, ref TSemantics sem, int depth, out T value)
        {
            if (!Product(ref c, ref sem, depth, out value)) return false;
            while (true)
            {
                c.Skip();
                if (c.Pos >= c.S.Length) return true;
                char op = BinaryStep.NormalizeOp(c.S[c.Pos]);
                if (op is not ('+' or '-')) return true;
                c.Pos++;
                if (!Product(ref c, ref sem, depth, out var right)) return false;
                // A fresh result: `in` and `out` arguments that alias would let the callee clobber its left operand.
                if (!sem.Apply(op, value, right, out var combined)) return c.Fail(sem.Error ?? "refused", false);
                value = combined;
            }
        }

        private static bool Product(ref Cursor c, ref TSemantics sem, int depth, out T value)
        {
            if (!Unary(ref c, ref sem, depth, out value)) return false;
            while (true)
            {
                c.Skip();
                if (c.Pos >= c.S.Length) return true;
                char ch = c.S[c.Pos];
                char op = BinaryStep.NormalizeOp(ch);
                bool implicitMul = c.Syntax.ImplicitMultiplication && (ch == '(' || c.IsVariable(ch));
                if (op is not ('*' or '/') && !implicitMul) return true;
                if (implicitMul) op = '*';
                else c.Pos++;
                if (!Unary(ref c, ref sem, depth, out var right)) return false;
                // A fresh result: `in` and `out` arguments that alias would let the callee clobber its left operand.
                if (!sem.Apply(op, value, right, out var combined)) return c.Fail(sem.Error ?? "refused", false);
                value = combined;
            }
        }

        private static bool Unary(ref Cursor c, ref TSemantics sem, int depth, out T value)
        {
            value = default!;
            if (depth > c.Syntax.MaxDepth) return c.Fail("expression nested too deeply", true);
            c.Skip();
            if (c.Pos >= c.S.Length) return c.Fail("expression ends early", true);
            char ch = c.S[c.Pos];
            if (c.Syntax.UnaryMinus && RationalParser.IsMinus(ch))
            {
                c.Pos++;
                c.Skip();
                // A negative literal is one number; a negated subexpression is a negation.
                if (c.Pos < c.S.Length && char.IsAsciiDigit(c.S[c.Pos]) && RationalParser.TryParseUnsigned(c.S, ref c.Pos, out var literal))
                    return sem.Number(-literal, out value) || c.Fail(sem.Error ?? "refused", false);
                if (!Unary(ref c, ref sem, depth + 1, out var inner)) return false;
                return sem.Negate(inner, out value) || c.Fail(sem.Error ?? "refused", false);
            }
            if (c.Syntax.UnaryPlus && ch == '+')
            {
                c.Pos++;
                return Unary(ref c, ref sem, depth + 1, out value);
            }
            if (ch == '(')
            {
                c.Pos++;
                if (!Sum(ref c, ref sem, depth + 1, out value)) return false;
                c.Skip();
                if (c.Pos >= c.S.Length || c.S[c.Pos] != ')') return c.Fail("expected ')'", true);
                c.Pos++;
                return true;
            }
            if (c.IsVariable(ch))
            {
                c.Pos++;
                return sem.Variable(ch, out value) || c.Fail(sem.Error ?? "refused", false);
            }
            if (!RationalParser.TryParseUnsigned(c.S, ref c.Pos, out var number))
                return c.Fail(c.Syntax.Variables is { Length: > 0 }
                    ? $"expected a number, {c.Syntax.Variables[0]} or '(' at position {c.Pos + 1}"
                    : $"expected a number or '(' at position {c.Pos + 1}", true);
            return sem.Number(number, out value) || c.Fail(sem.Error ?? "refused", false);
        }
    }
}
