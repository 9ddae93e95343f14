using System.Diagnostics;
using Sim.Bench;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Bench.Suites;

/// <summary>
/// Measurements the TorchSharp suites share (<c>agents</c>, <c>learning</c>): the fp32 matmul peak that utilisation
/// figures divide by, and the per-call rates of a timed workload once the JIT has settled.
/// </summary>
internal static class TorchBench
{
    /// <summary>The practical fp32 matmul peak of <paramref name="device"/> in FLOP/s: the best of several square
    /// products (2048², 1024² with <paramref name="quick"/>) at libtorch's current thread count.</summary>
    public static double MatmulPeak(Device device, bool quick)
    {
        int n = quick ? 1024 : 2048;
        using var scope = NewDisposeScope();
        var a = randn(n, n, device: device);
        var b = randn(n, n, device: device);
        double best = Measure.BestSeconds(() =>
        {
            using var s = NewDisposeScope();
            var c = matmul(a, b);
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
            else _ = c.data<float>()[0];
        }, quick ? 3 : 8, warmup: 2);
        return 2.0 * n * n * n / best;
    }

    /// <summary>
    /// Units per second of <paramref name="rounds"/> timed calls of each of <paramref name="calls"/> (each returns the
    /// units it produced: tokens), taking turns within every round so that a slow spell of the shared machine hits them
    /// all; each sorted ascending, with the rate over all of that workload's calls together (slow calls weigh in).
    /// Timing starts once <see cref="Measure.SettleJit"/> has run <paramref name="warm"/>: the C# around the tensors
    /// (draws, host attention) runs as first-tier code until tiering, which counts calls, catches up.
    /// </summary>
    public static (double[] Sorted, double Overall)[] RatesPerCall(Action warm, int rounds, bool quick, params Func<long>[] calls)
    {
        Measure.SettleJit(warm, leastSeconds: quick ? 0.5 : 1);
        var rates = new double[calls.Length][];
        var units = new long[calls.Length];
        var seconds = new double[calls.Length];
        for (int c = 0; c < calls.Length; c++) rates[c] = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            for (int c = 0; c < calls.Length; c++)
            {
                long t0 = Stopwatch.GetTimestamp();
                long n = calls[c]();
                double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                rates[c][r] = n / s;
                seconds[c] += s;
                units[c] += n;
            }
        }
        var result = new (double[], double)[calls.Length];
        for (int c = 0; c < calls.Length; c++)
        {
            Array.Sort(rates[c]);
            result[c] = (rates[c], units[c] / seconds[c]);
        }
        return result;
    }

    /// <summary>The median of values sorted ascending.</summary>
    public static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
