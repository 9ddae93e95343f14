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
        var p = new Parser(text.AsSpan(0, eq));
        if (!p.Sum(0, out var left) || !p.End()) { error = p.Error ?? "bad left side"; return false; }
        int size = p.Size;
        bool leftIsX = p.Size == 1 && p.SawX && left.A == Rational.One && left.B.IsZero;
        bool leftIsNumber = !p.SawX;
        var q = new Parser(text.AsSpan(eq + 1));
        if (!q.Sum(0, out var right) || !q.End()) { error = q.Error ?? "bad right side"; return false; }
        bool rightIsX = q.Size == 1 && q.SawX && right.A == Rational.One && right.B.IsZero;
        bool rightIsNumber = !q.SawX;
        equation = new LinearEquation(left, right, size + q.Size)
        {
            IsSolvedForm = (leftIsX && rightIsNumber) || (rightIsX && leftIsNumber),
        };
        error = "";
        return true;
    }

    private ref struct Parser(ReadOnlySpan<char> s)
    {
        private readonly ReadOnlySpan<char> _s = s;
        private int _pos;
        public int Size;
        public bool SawX;
        public string? Error;

        private bool Fail(string why) { Error ??= why; return false; }

        private void Skip() { while (_pos < _s.Length && char.IsWhiteSpace(_s[_pos])) _pos++; }

        public bool End()
        {
            Skip();
            return _pos == _s.Length || Fail($"unexpected '{_s[_pos]}'");
        }

        public bool Sum(int depth, out LinearForm v)
        {
            if (!Product(depth, out v)) return false;
            while (true)
            {
                Skip();
                if (_pos >= _s.Length) return true;
                char op = BinaryStep.NormalizeOp(_s[_pos]);
                if (op is not ('+' or '-')) return true;
                _pos++;
                if (!Product(depth, out var r)) return false;
                v = op == '+' ? new LinearForm(v.A + r.A, v.B + r.B) : new LinearForm(v.A - r.A, v.B - r.B);
            }
        }

        private bool Product(int depth, out LinearForm v)
        {
            if (!Unary(depth, out v)) return false;
            while (true)
            {
                Skip();
                if (_pos >= _s.Length) return true;
                char c = _s[_pos];
                char op = BinaryStep.NormalizeOp(c);
                bool implicitMul = c is 'x' or 'X' or '(';
                if (op is not ('*' or '/') && !implicitMul) return true;
                if (!implicitMul) _pos++;
                if (!Unary(depth, out var r)) return false;
                if (op == '/')
                {
                    if (!r.IsConstant) return Fail("division by an expression in x is not linear");
                    if (r.B.IsZero) return Fail("division by zero");
                    v = new LinearForm(v.A / r.B, v.B / r.B);
                }
                else
                {
                    if (!v.IsConstant && !r.IsConstant) return Fail("x times x is not linear");
                    v = v.IsConstant ? new LinearForm(r.A * v.B, r.B * v.B) : new LinearForm(v.A * r.B, v.B * r.B);
                }
            }
        }

        private bool Unary(int depth, out LinearForm v)
        {
            v = default;
            if (depth > 40) return Fail("nested too deeply");
            Skip();
            if (_pos >= _s.Length) return Fail("expression ends early");
            char c = _s[_pos];
            if (RationalParser.IsMinus(c) || c == '+')
            {
                _pos++;
                if (!Unary(depth + 1, out v)) return false;
                if (RationalParser.IsMinus(c)) v = new LinearForm(-v.A, -v.B);
                return true;
            }
            if (c == '(')
            {
                _pos++;
                if (!Sum(depth + 1, out v)) return false;
                Skip();
                if (_pos >= _s.Length || _s[_pos] != ')') return Fail("expected ')'");
                _pos++;
                return true;
            }
            if (c is 'x' or 'X')
            {
                _pos++;
                Size++;
                SawX = true;
                v = new LinearForm(Rational.One, Rational.Zero);
                return true;
            }
            if (!RationalParser.TryParseUnsigned(_s, ref _pos, out var n)) return Fail($"expected a number, x or '(' but found '{c}'");
            Size++;
            v = new LinearForm(Rational.Zero, n);
            return true;
        }
    }
}
