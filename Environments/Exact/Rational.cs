using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sim.Environments.Exact;

/// <summary>
/// An exact rational number, always in lowest terms with a positive denominator. Values whose numerator and
/// denominator fit in a <see cref="long"/> are stored inline and computed without allocation (integers take a
/// shorter path still); anything larger falls back to <see cref="BigInteger"/>, so results are exact at any size.
/// No floating point is used anywhere. Canonical form makes equality a field comparison.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    // Small form: value = _num / (_denM1 + 1), with _num != long.MinValue (so negation never overflows).
    // Big form (_big != null): a value that does not fit the small form; _num and _denM1 are 0.
    private readonly long _num;
    private readonly long _denM1;
    private readonly Big? _big;

    private sealed class Big(BigInteger num, BigInteger den)
    {
        public readonly BigInteger Num = num;
        public readonly BigInteger Den = den;
    }

    private Rational(long num, long den) { _num = num; _denM1 = den - 1; _big = null; }
    private Rational(Big big) { _num = 0; _denM1 = 0; _big = big; }

    /// <summary>Zero.</summary>
    public static Rational Zero => default;

    /// <summary>One.</summary>
    public static Rational One => new(1, 1);

    /// <summary>The integer <paramref name="value"/>.</summary>
    public static Rational FromInt(long value) => value == long.MinValue ? FromBig(value, BigInteger.One) : new Rational(value, 1);

    /// <summary>True when the value is an integer.</summary>
    public bool IsInteger => _big is null ? _denM1 == 0 : _big.Den.IsOne;

    /// <summary>True when the value is zero.</summary>
    public bool IsZero => _big is null && _num == 0;

    /// <summary>-1, 0 or 1.</summary>
    public int Sign => _big is null ? Math.Sign(_num) : _big.Num.Sign;

    /// <summary>True when the value is stored inline (no allocation).</summary>
    public bool IsSmall => _big is null;

    /// <summary>The numerator, in lowest terms.</summary>
    public BigInteger Numerator => _big is null ? _num : _big.Num;

    /// <summary>The (positive) denominator, in lowest terms.</summary>
    public BigInteger Denominator => _big is null ? _denM1 + 1 : _big.Den;

    /// <summary>Inline numerator; valid only when <see cref="IsSmall"/>.</summary>
    internal long SmallNum => _num;

    /// <summary>Inline denominator; valid only when <see cref="IsSmall"/>.</summary>
    internal long SmallDen => _denM1 + 1;

    /// <summary>Makes <paramref name="num"/>/<paramref name="den"/> in lowest terms. Throws on a zero denominator.</summary>
    public static Rational Create(long num, long den)
    {
        if (den == 0) throw new DivideByZeroException();
        return FromInt128(num, den);
    }

    /// <summary>Makes <paramref name="num"/>/<paramref name="den"/> in lowest terms. Throws on a zero denominator.</summary>
    public static Rational Create(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException();
        return FromBig(num, den);
    }

    private static Rational FromBig(BigInteger num, BigInteger den)
    {
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        if (num.IsZero) return default;
        if (num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue)
            return new Rational((long)num, (long)den);
        return new Rational(new Big(num, den));
    }

    private static Rational FromInt128(Int128 num, Int128 den)
    {
        if (num == 0) return default;
        if (den < 0) { num = -num; den = -den; }
        if (den != 1)
        {
            UInt128 g = Gcd((UInt128)(num < 0 ? -num : num), (UInt128)den);
            if (g != 1) { num /= (Int128)g; den /= (Int128)g; }
        }
        if (num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue)
            return new Rational((long)num, (long)den);
        return new Rational(new Big((BigInteger)num, (BigInteger)den));
    }

    private static UInt128 Gcd(UInt128 a, UInt128 b)
    {
        if (a == 0) return b;
        if (b == 0) return a;
        if ((a >> 64) == 0 && (b >> 64) == 0) return Gcd((ulong)a, (ulong)b);
        int shift = (int)UInt128.TrailingZeroCount(a | b);
        a >>= (int)UInt128.TrailingZeroCount(a);
        while (b != 0)
        {
            b >>= (int)UInt128.TrailingZeroCount(b);
            if (a > b) (a, b) = (b, a);
            b -= a;
        }
        return a << shift;
    }

    /// <summary>Binary GCD on 64-bit values.</summary>
    internal static ulong Gcd(ulong a, ulong b)
    {
        if (a == 0) return b;
        if (b == 0) return a;
        int shift = BitOperations.TrailingZeroCount(a | b);
        a >>= BitOperations.TrailingZeroCount(a);
        while (b != 0)
        {
            b >>= BitOperations.TrailingZeroCount(b);
            if (a > b) (a, b) = (b, a);
            b -= a;
        }
        return a << shift;
    }

    /// <summary>a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Rational operator +(Rational a, Rational b)
    {
        if (a._big is null && b._big is null)
        {
            if ((a._denM1 | b._denM1) == 0)
            {
                long r = a._num + b._num;
                if (((a._num ^ r) & (b._num ^ r)) >= 0 && r != long.MinValue) return new Rational(r, 1);
            }
            return FromInt128((Int128)a._num * (b._denM1 + 1) + (Int128)b._num * (a._denM1 + 1),
                (Int128)(a._denM1 + 1) * (b._denM1 + 1));
        }
        return FromBig(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    }

    /// <summary>-a.</summary>
    public static Rational operator -(Rational a) => a._big is null ? new Rational(-a._num, a._denM1 + 1) : FromBig(-a._big.Num, a._big.Den);

    /// <summary>a - b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Rational operator -(Rational a, Rational b)
    {
        if (a._big is null && b._big is null && (a._denM1 | b._denM1) == 0)
        {
            long r = a._num - b._num;
            if (((a._num ^ b._num) & (a._num ^ r)) >= 0 && r != long.MinValue) return new Rational(r, 1);
        }
        return a + (-b);
    }

    /// <summary>a × b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Rational operator *(Rational a, Rational b)
    {
        if (a._big is null && b._big is null)
        {
            if ((a._denM1 | b._denM1) == 0)
            {
                long hi = Math.BigMul(a._num, b._num, out long lo);
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0 && lo != long.MinValue)) return new Rational(lo, 1);
            }
            return FromInt128((Int128)a._num * b._num, (Int128)(a._denM1 + 1) * (b._denM1 + 1));
        }
        return FromBig(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
    }

    /// <summary>a ÷ b. Throws <see cref="DivideByZeroException"/> when b is zero; use <see cref="TryDivide"/> to avoid that.</summary>
    public static Rational operator /(Rational a, Rational b) =>
        TryDivide(a, b, out var r) ? r : throw new DivideByZeroException();

    /// <summary>a ÷ b, or false when b is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryDivide(Rational a, Rational b, out Rational result)
    {
        if (b.IsZero) { result = default; return false; }
        if (a._big is null && b._big is null)
        {
            if ((a._denM1 | b._denM1) == 0 && b._num != 0 && a._num % b._num == 0 && !(a._num == long.MinValue && b._num == -1))
            {
                result = new Rational(a._num / b._num, 1);
                return true;
            }
            result = FromInt128((Int128)a._num * (b._denM1 + 1), (Int128)(a._denM1 + 1) * b._num);
            return true;
        }
        result = FromBig(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
        return true;
    }

    /// <summary>True when a and b are equal.</summary>
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);

    /// <summary>True when a and b differ.</summary>
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    /// <summary>a &lt; b.</summary>
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;

    /// <summary>a &gt; b.</summary>
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;

    /// <summary>a ≤ b.</summary>
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;

    /// <summary>a ≥ b.</summary>
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    /// <summary>The integer <paramref name="v"/>.</summary>
    public static implicit operator Rational(long v) => FromInt(v);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(Rational other)
    {
        // Canonical forms: a value is small exactly when it fits, so small and big never compare equal.
        if (_big is null) return other._big is null && _num == other._num && _denM1 == other._denM1;
        return other._big is not null && _big.Num == other._big.Num && _big.Den == other._big.Den;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);

    /// <inheritdoc />
    public override int GetHashCode() => _big is null ? HashCode.Combine(_num, _denM1) : HashCode.Combine(_big.Num, _big.Den);

    /// <inheritdoc />
    public int CompareTo(Rational other)
    {
        if (_big is null && other._big is null)
        {
            if ((_denM1 | other._denM1) == 0) return _num.CompareTo(other._num);
            return ((Int128)_num * (other._denM1 + 1)).CompareTo((Int128)other._num * (_denM1 + 1));
        }
        return (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);
    }

    /// <summary>The value as a <see cref="long"/>, when it is an integer that fits.</summary>
    public bool TryGetInt64(out long value)
    {
        value = _num;
        return _big is null && _denM1 == 0;
    }

    /// <summary>Digits in the value's text form (a size measure used to refuse absurd inputs).</summary>
    public int DigitCount => _big is null ? 20 : (int)(_big.Num.GetBitLength() + _big.Den.GetBitLength()) * 30103 / 100000 + 2;

    /// <summary>"n" or "n/d".</summary>
    public override string ToString()
    {
        if (_big is null)
            return _denM1 == 0 ? _num.ToString(CultureInfo.InvariantCulture) : $"{_num.ToString(CultureInfo.InvariantCulture)}/{(_denM1 + 1).ToString(CultureInfo.InvariantCulture)}";
        return _big.Den.IsOne ? _big.Num.ToString(CultureInfo.InvariantCulture) : $"{_big.Num.ToString(CultureInfo.InvariantCulture)}/{_big.Den.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>An approximate double, for display and statistics only (never for verdicts).</summary>
    public double ToDouble() => _big is null ? (double)_num / (_denM1 + 1) : (double)_big.Num / (double)_big.Den;
}
