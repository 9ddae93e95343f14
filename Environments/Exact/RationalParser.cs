using System.Numerics;

namespace Sim.Environments.Exact;

/// <summary>
/// Parses exact numbers from text without allocation for values that fit in a <see cref="long"/>: integers
/// (<c>-17</c>), decimals (<c>0.25</c>, read exactly as 1/4) and fractions (<c>3/4</c>). Never uses floating point.
/// </summary>
public static class RationalParser
{
    /// <summary>Numbers longer than this many digits are refused (a hostile-input guard).</summary>
    public const int MaxDigits = 400;

    /// <summary>True for ASCII '-' and the Unicode minus sign.</summary>
    public static bool IsMinus(char c) => c is '-' or '\u2212';

    /// <summary>
    /// Parses an unsigned decimal number (<c>17</c>, <c>0.25</c>, <c>.5</c>) at <paramref name="pos"/> and advances past it.
    /// Returns false, leaving <paramref name="pos"/> unchanged, when there is no number there or it is too long.
    /// </summary>
    public static bool TryParseUnsigned(ReadOnlySpan<char> s, ref int pos, out Rational value)
    {
        int i = pos;
        long acc = 0;
        bool overflow = false;
        int digits = 0;
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            if (!overflow)
            {
                long next = acc * 10 + (s[i] - '0');
                if (acc > (long.MaxValue - 9) / 10) overflow = true; else acc = next;
            }
            i++; digits++;
        }
        int intEnd = i;
        int fracStart = -1, fracDigits = 0;
        if (i < s.Length && s[i] == '.' && i + 1 < s.Length && (uint)(s[i + 1] - '0') <= 9)
        {
            i++;
            fracStart = i;
            while (i < s.Length && (uint)(s[i] - '0') <= 9) { i++; fracDigits++; }
        }
        if (digits == 0 && fracDigits == 0) { value = default; return false; }
        if (digits + fracDigits > MaxDigits) { value = default; return false; }
        if (fracStart < 0 && !overflow)
        {
            value = Rational.FromInt(acc);
            pos = i;
            return true;
        }
        // Slow path: big integers or decimals, read exactly as digits / 10^k.
        var intPart = digits == 0 ? BigInteger.Zero : BigInteger.Parse(s[pos..intEnd], provider: System.Globalization.CultureInfo.InvariantCulture);
        if (fracStart < 0)
        {
            value = Rational.Create(intPart, BigInteger.One);
        }
        else
        {
            var fracPart = BigInteger.Parse(s.Slice(fracStart, fracDigits), provider: System.Globalization.CultureInfo.InvariantCulture);
            var scale = BigInteger.Pow(10, fracDigits);
            value = Rational.Create(intPart * scale + fracPart, scale);
        }
        pos = i;
        return true;
    }

    /// <summary>Skips spaces and tabs.</summary>
    public static void SkipSpaces(ReadOnlySpan<char> s, ref int pos)
    {
        while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r')) pos++;
    }

    /// <summary>
    /// Parses a whole string as one exact number: an optional sign, then an integer or decimal, then optionally
    /// <c>/ denominator</c> (also a decimal). Surrounding spaces are allowed. "0.5", "1/2" and "2/4" parse equal.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, out Rational value)
    {
        value = default;
        int pos = 0;
        SkipSpaces(s, ref pos);
        bool neg = false;
        if (pos < s.Length && (IsMinus(s[pos]) || s[pos] == '+')) { neg = IsMinus(s[pos]); pos++; SkipSpaces(s, ref pos); }
        if (!TryParseUnsigned(s, ref pos, out var num)) return false;
        SkipSpaces(s, ref pos);
        if (pos < s.Length && s[pos] == '/')
        {
            pos++;
            SkipSpaces(s, ref pos);
            bool negDen = false;
            if (pos < s.Length && IsMinus(s[pos])) { negDen = true; pos++; }
            if (!TryParseUnsigned(s, ref pos, out var den) || den.IsZero) return false;
            if (negDen) den = -den;
            num /= den;
            SkipSpaces(s, ref pos);
        }
        if (pos != s.Length) return false;
        value = neg ? -num : num;
        return true;
    }
}
