using System.Runtime.CompilerServices;
using Sim.Engine;

namespace Sim.Agents.Policies;

/// <summary>
/// Exact standard normal and exponential draws from an <see cref="Rng"/> by the ziggurat method (Marsaglia and Tsang,
/// 2000; 256 layers, the table layout of rand_distr). About 99% of draws cost one 64-bit random number, a table lookup and
/// a multiply; the rest fall back to rejection against the density and, in the base layer, to the exact tail sampler.
/// The result has exactly the target distribution (up to floating point), like Box–Muller, only several times cheaper:
/// no log, square root or cosine on the common path.
/// </summary>
internal static class Ziggurat
{
    private const int Layers = 256;
    private const double NormalR = 3.6541528853610088, NormalV = 0.00492867323399;
    private const double ExpR = 7.69711747013104972, ExpV = 0.0039496598225815571993;

    // x[0] = V / f(R) (the base layer's width, tail included), x[1] = R, x[i] decreasing, x[256] = 0; f[i] = f(x[i]).
    // Field initialisers, not a static constructor: the type stays beforefieldinit, so the JIT can initialise it while
    // compiling a caller and read the tables without class-initialisation checks.
    private static readonly double[] NormalX = Xs(NormalR, NormalV, NormalDensity, y => Math.Sqrt(-2 * Math.Log(y)));
    private static readonly double[] NormalF = NormalX.Select(NormalDensity).ToArray();
    private static readonly double[] ExpX = Xs(ExpR, ExpV, ExpDensity, y => -Math.Log(y));
    private static readonly double[] ExpF = ExpX.Select(ExpDensity).ToArray();

    private static double NormalDensity(double x) => Math.Exp(-0.5 * x * x);

    private static double ExpDensity(double x) => Math.Exp(-x);

    private static double[] Xs(double r, double v, Func<double, double> f, Func<double, double> fInv)
    {
        var xs = new double[Layers + 1];
        xs[0] = v / f(r);
        xs[1] = r;
        for (int i = 2; i < Layers; i++) xs[i] = fInv(v / xs[i - 1] + f(xs[i - 1]));
        xs[Layers] = 0;
        return xs;
    }

    /// <summary>A standard normal draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Normal(ref Rng rng)
    {
        ulong bits = rng.NextULong();
        int i = (int)(bits & 0xFF);
        // The top 53 bits give u in [-1, 1); the low 8 bits (disjoint) pick the layer.
        double u = (bits >> 11) * (2.0 / (1UL << 53)) - 1.0;
        double x = u * NormalX[i];
        if (Math.Abs(x) < NormalX[i + 1]) return x;
        return NormalSlow(ref rng, i, u, x);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double NormalSlow(ref Rng rng, int i, double u, double x)
    {
        while (true)
        {
            if (i == 0)
            {
                // The tail beyond R (Marsaglia 1964): exact.
                double tx, ty;
                do
                {
                    tx = Math.Log(1.0 - rng.NextDouble()) / NormalR;
                    ty = Math.Log(1.0 - rng.NextDouble());
                } while (-2.0 * ty < tx * tx);
                return u < 0 ? tx - NormalR : NormalR - tx;
            }
            if (NormalF[i + 1] + (NormalF[i] - NormalF[i + 1]) * rng.NextDouble() < NormalDensity(x)) return x;
            ulong bits = rng.NextULong();
            i = (int)(bits & 0xFF);
            u = (bits >> 11) * (2.0 / (1UL << 53)) - 1.0;
            x = u * NormalX[i];
            if (Math.Abs(x) < NormalX[i + 1]) return x;
        }
    }

    /// <summary>A standard exponential draw (rate 1), i.e. the distribution of −ln U.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exponential(ref Rng rng)
    {
        ulong bits = rng.NextULong();
        int i = (int)(bits & 0xFF);
        double x = (bits >> 11) * (1.0 / (1UL << 53)) * ExpX[i];
        if (x < ExpX[i + 1]) return x;
        return ExponentialSlow(ref rng, i, x);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double ExponentialSlow(ref Rng rng, int i, double x)
    {
        while (true)
        {
            // The tail beyond R is R plus a fresh exponential (memorylessness).
            if (i == 0) return ExpR - Math.Log(1.0 - rng.NextDouble());
            if (ExpF[i + 1] + (ExpF[i] - ExpF[i + 1]) * rng.NextDouble() < ExpDensity(x)) return x;
            ulong bits = rng.NextULong();
            i = (int)(bits & 0xFF);
            x = (bits >> 11) * (1.0 / (1UL << 53)) * ExpX[i];
            if (x < ExpX[i + 1]) return x;
        }
    }
}
