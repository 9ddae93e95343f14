using System.Runtime.CompilerServices;
using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

// The fast path of the oracle for states of at most four numbers whose values (and the target) have numerators and
// denominators of magnitude at most SmallLimit: plain long arithmetic on unreduced fractions, equality by
// cross-multiplication, no gcd, no allocation, and the last level checked in closed form. With |values| <= 2^10, three
// operations produce numerators and denominators below 2^32, so every cross product stays below 2^63: exact.
public sealed partial class CountdownSolver
{
    private const long SmallLimit = 1024;

    private readonly record struct F(long N, long D);

    private static bool Fits(Rational r) =>
        r.IsSmall && r.SmallNum <= SmallLimit && r.SmallNum >= -SmallLimit && r.SmallDen <= SmallLimit;

    // Returns true when the fast path applies and sets result; false to fall back to the general search.
    private bool TrySmall(ReadOnlySpan<Rational> nums, out bool result)
    {
        result = false;
        int n = nums.Length;
        if (n > 4 || !Fits(Target)) return false;
        foreach (var v in nums) if (!Fits(v)) return false;
        var t = new F(Target.SmallNum, Target.SmallDen);
        bool all = MustUseAll;
        if (AllowRationals)
        {
            F a = ToF(nums[0]);
            result = n switch
            {
                1 => Eq(a, t),
                2 => Q2(a, ToF(nums[1]), t, all),
                3 => Q3(a, ToF(nums[1]), ToF(nums[2]), t, all),
                _ => Q4(a, ToF(nums[1]), ToF(nums[2]), ToF(nums[3]), t, all),
            };
        }
        else
        {
            // Positive integers only (inputs that are not positive integers can never be combined legally, but they
            // can still be the target themselves under subset rules).
            foreach (var v in nums)
            {
                if (v.IsInteger && v.Sign > 0) continue;
                return false;
            }
            if (!Target.IsInteger) { result = false; return true; }
            long tt = Target.SmallNum;
            long a = nums[0].SmallNum;
            result = n switch
            {
                1 => a == tt,
                2 => I2(a, nums[1].SmallNum, tt, all),
                3 => I3(a, nums[1].SmallNum, nums[2].SmallNum, tt, all),
                _ => I4(a, nums[1].SmallNum, nums[2].SmallNum, nums[3].SmallNum, tt, all),
            };
        }
        return true;
    }

    private static F ToF(Rational r) => new(r.SmallNum, r.SmallDen);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Eq(F a, F t) => a.N * t.D == t.N * a.D;

    private static bool Q2(F a, F b, F t, bool all)
    {
        if (!all && (Eq(a, t) || Eq(b, t))) return true;
        long dd = a.D * b.D;
        long tdd = t.N * dd;
        long an = a.N * b.D, bn = b.N * a.D;
        if ((an + bn) * t.D == tdd) return true;
        if ((an - bn) * t.D == tdd) return true;
        if ((bn - an) * t.D == tdd) return true;
        if (a.N * b.N * t.D == tdd) return true;
        // a/b = (a.N b.D) / (a.D b.N); b/a = (b.N a.D) / (b.D a.N).
        if (b.N != 0 && an * t.D == t.N * (a.D * b.N)) return true;
        if (a.N != 0 && bn * t.D == t.N * (b.D * a.N)) return true;
        return false;
    }

    private static bool Q3(F a, F b, F c, F t, bool all)
    {
        if (!all && (Eq(a, t) || Eq(b, t) || Eq(c, t))) return true;
        return Q3Pair(a, b, c, t, all) || Q3Pair(a, c, b, t, all) || Q3Pair(b, c, a, t, all);
    }

    private static bool Q3Pair(F x, F y, F rest, F t, bool all)
    {
        long dd = x.D * y.D, xn = x.N * y.D, yn = y.N * x.D;
        if (Q2(new F(xn + yn, dd), rest, t, all)) return true;
        if (Q2(new F(x.N * y.N, dd), rest, t, all)) return true;
        if (Q2(new F(xn - yn, dd), rest, t, all)) return true;
        if (Q2(new F(yn - xn, dd), rest, t, all)) return true;
        if (y.N != 0 && Q2(new F(xn, x.D * y.N), rest, t, all)) return true;
        if (x.N != 0 && Q2(new F(yn, y.D * x.N), rest, t, all)) return true;
        return false;
    }

    private static bool Q4(F a, F b, F c, F d, F t, bool all)
    {
        if (!all && (Eq(a, t) || Eq(b, t) || Eq(c, t) || Eq(d, t))) return true;
        return Q4Pair(a, b, c, d, t, all) || Q4Pair(a, c, b, d, t, all) || Q4Pair(a, d, b, c, t, all)
            || Q4Pair(b, c, a, d, t, all) || Q4Pair(b, d, a, c, t, all) || Q4Pair(c, d, a, b, t, all);
    }

    private static bool Q4Pair(F x, F y, F u, F v, F t, bool all)
    {
        long dd = x.D * y.D, xn = x.N * y.D, yn = y.N * x.D;
        if (Q3(new F(xn + yn, dd), u, v, t, all)) return true;
        if (Q3(new F(x.N * y.N, dd), u, v, t, all)) return true;
        if (Q3(new F(xn - yn, dd), u, v, t, all)) return true;
        if (Q3(new F(yn - xn, dd), u, v, t, all)) return true;
        if (y.N != 0 && Q3(new F(xn, x.D * y.N), u, v, t, all)) return true;
        if (x.N != 0 && Q3(new F(yn, y.D * x.N), u, v, t, all)) return true;
        return false;
    }

    private static bool I2(long a, long b, long t, bool all)
    {
        if (!all && (a == t || b == t)) return true;
        return a + b == t || a * b == t || a - b == t || b - a == t || a == b * t || b == a * t;
    }

    private static bool I3(long a, long b, long c, long t, bool all)
    {
        if (!all && (a == t || b == t || c == t)) return true;
        return I3Pair(a, b, c, t, all) || I3Pair(a, c, b, t, all) || I3Pair(b, c, a, t, all);
    }

    private static bool I3Pair(long x, long y, long rest, long t, bool all)
    {
        if (I2(x + y, rest, t, all) || I2(x * y, rest, t, all)) return true;
        if (x > y ? I2(x - y, rest, t, all) : y > x && I2(y - x, rest, t, all)) return true;
        if (x % y == 0 && I2(x / y, rest, t, all)) return true;
        if (x != y && y % x == 0 && I2(y / x, rest, t, all)) return true;
        return false;
    }

    private static bool I4(long a, long b, long c, long d, long t, bool all)
    {
        if (!all && (a == t || b == t || c == t || d == t)) return true;
        return I4Pair(a, b, c, d, t, all) || I4Pair(a, c, b, d, t, all) || I4Pair(a, d, b, c, t, all)
            || I4Pair(b, c, a, d, t, all) || I4Pair(b, d, a, c, t, all) || I4Pair(c, d, a, b, t, all);
    }

    private static bool I4Pair(long x, long y, long u, long v, long t, bool all)
    {
        if (I3(x + y, u, v, t, all) || I3(x * y, u, v, t, all)) return true;
        if (x > y ? I3(x - y, u, v, t, all) : y > x && I3(y - x, u, v, t, all)) return true;
        if (x % y == 0 && I3(x / y, u, v, t, all)) return true;
        if (x != y && y % x == 0 && I3(y / x, u, v, t, all)) return true;
        return false;
    }
}
