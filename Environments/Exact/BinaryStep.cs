namespace Sim.Environments.Exact;

/// <summary>
/// One arithmetic step, <c>a op b = c</c>, as written by an agent: <c>17*3=51</c>, <c>8 - 3 = 5</c>,
/// <c>1/2 + 1/3 = 5/6</c>, <c>(8/3) * 3 = 8</c>. Operands may be integers, decimals or fractions (a fraction operand
/// is read as a literal: <c>1/2 + 1/3</c> adds two halves and thirds); negative operands need a leading sign.
/// Operators: <c>+ - * /</c> and the Unicode forms <c>− × · ÷</c>. Parsing never allocates for small values.
/// </summary>
/// <param name="Left">The left operand.</param>
/// <param name="Op">One of '+', '-', '*', '/'.</param>
/// <param name="Right">The right operand.</param>
/// <param name="Result">The claimed result.</param>
public readonly record struct BinaryStep(Rational Left, char Op, Rational Right, Rational Result)
{
    /// <summary>Maps an operator character to '+', '-', '*' or '/', or returns '\0'.</summary>
    public static char NormalizeOp(char c) => c switch
    {
        '+' => '+',
        '-' or '\u2212' => '-',
        '*' or '\u00d7' or '\u00b7' => '*',
        '/' or '\u00f7' => '/',
        _ => '\0',
    };

    /// <summary>Computes <paramref name="a"/> op <paramref name="b"/> exactly; false on division by zero.</summary>
    public static bool TryApply(Rational a, char op, Rational b, out Rational result)
    {
        switch (op)
        {
            case '+': result = a + b; return true;
            case '-': result = a - b; return true;
            case '*': result = a * b; return true;
            case '/': return Rational.TryDivide(a, b, out result);
            default: result = default; return false;
        }
    }

    /// <summary>
    /// Parses <paramref name="text"/>; on failure returns false and a one-line <paramref name="error"/> (a constant string,
    /// so failures do not allocate either).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out BinaryStep step, out string error)
    {
        step = default;
        int eq = text.IndexOf('=');
        if (eq < 0) { error = "expected 'a op b = c'"; return false; }
        var lhs = text[..eq];
        var rhs = text[(eq + 1)..].Trim();
        if (rhs.Length >= 2 && rhs[0] == '(' && rhs[^1] == ')') rhs = rhs[1..^1];
        if (!RationalParser.TryParse(rhs, out var result)) { error = "the result after '=' is not a number"; return false; }

        // Tokens after folding parenthesised operands: up to 4 numbers and 3 operators, alternating.
        Rational n0 = default, n1 = default, n2 = default, n3 = default;
        char o0 = '\0', o1 = '\0', o2 = '\0';
        int count = 0, ops = 0;
        int pos = 0;
        while (true)
        {
            RationalParser.SkipSpaces(lhs, ref pos);
            if (!TryParseOperand(lhs, ref pos, out var value, out error)) return false;
            if (count == 4) { error = "too many operands; one step is 'a op b = c'"; return false; }
            switch (count++) { case 0: n0 = value; break; case 1: n1 = value; break; case 2: n2 = value; break; default: n3 = value; break; }
            RationalParser.SkipSpaces(lhs, ref pos);
            if (pos == lhs.Length) break;
            char op = NormalizeOp(lhs[pos]);
            if (op == '\0') { error = "expected an operator (+ - * /)"; return false; }
            if (ops == 3) { error = "too many operators; one step is 'a op b = c'"; return false; }
            switch (ops++) { case 0: o0 = op; break; case 1: o1 = op; break; default: o2 = op; break; }
            pos++;
        }
        if (count != ops + 1) { error = "expected 'a op b = c'"; return false; }
        Rational a, b;
        char opc;
        switch (count)
        {
            case 2: a = n0; opc = o0; b = n1; break;
            case 3 when o0 == '/' && !n1.IsZero: a = n0 / n1; opc = o1; b = n2; break;
            case 3 when o1 == '/' && !n2.IsZero: a = n0; opc = o0; b = n1 / n2; break;
            case 4 when o0 == '/' && o2 == '/' && !n1.IsZero && !n3.IsZero: a = n0 / n1; opc = o1; b = n2 / n3; break;
            case 1: error = "no operator; one step is 'a op b = c'"; return false;
            default: error = "one step is one operation, 'a op b = c'"; return false;
        }
        step = new BinaryStep(a, opc, b, result);
        error = "";
        return true;
    }

    // An operand: [sign] number, or '(' [sign] number [ '/' [sign] number ] ')'.
    private static bool TryParseOperand(ReadOnlySpan<char> s, ref int pos, out Rational value, out string error)
    {
        value = default;
        bool paren = pos < s.Length && s[pos] == '(';
        if (paren) { pos++; RationalParser.SkipSpaces(s, ref pos); }
        if (!TryParseSigned(s, ref pos, out value)) { error = "expected a number"; return false; }
        if (paren)
        {
            RationalParser.SkipSpaces(s, ref pos);
            if (pos < s.Length && NormalizeOp(s[pos]) == '/')
            {
                pos++;
                RationalParser.SkipSpaces(s, ref pos);
                if (!TryParseSigned(s, ref pos, out var den)) { error = "expected a denominator"; return false; }
                if (den.IsZero) { error = "division by zero"; return false; }
                value /= den;
                RationalParser.SkipSpaces(s, ref pos);
            }
            if (pos >= s.Length || s[pos] != ')') { error = "expected ')'"; return false; }
            pos++;
        }
        error = "";
        return true;
    }

    private static bool TryParseSigned(ReadOnlySpan<char> s, ref int pos, out Rational value)
    {
        int start = pos;
        bool neg = false;
        if (pos < s.Length && RationalParser.IsMinus(s[pos])) { neg = true; pos++; }
        if (!RationalParser.TryParseUnsigned(s, ref pos, out value)) { pos = start; return false; }
        if (neg) value = -value;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Left} {Op} {Right} = {Result}";
}
