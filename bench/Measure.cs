using System.Diagnostics;

namespace Sim.Bench;

/// <summary>Small timing helpers for suites: warm up, then take the best of several repeats (least noisy on a shared machine).</summary>
public static class Measure
{
    /// <summary>Runs <paramref name="body"/> <paramref name="warmup"/> times untimed, then <paramref name="repeats"/> times; returns the fastest run in seconds.</summary>
    public static double BestSeconds(Action body, int repeats, int warmup = 1)
    {
        for (int i = 0; i < warmup; i++) body();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            body();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return best;
    }

    /// <summary>
    /// Runs <paramref name="body"/> until the JIT has settled: at least <paramref name="leastSeconds"/>, then until no
    /// method has been compiled for <paramref name="quietSeconds"/>, at most <paramref name="capSeconds"/>. Tiered
    /// compilation replaces code in the background for the first second or so, and its compiler thread competes for one
    /// of this machine's two cores; timing before it goes quiet measures the compiler as much as the code.
    /// </summary>
    public static void SettleJit(Action body, double leastSeconds = 1, double quietSeconds = 0.5, double capSeconds = 5)
    {
        var total = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        long methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        while ((total.Elapsed.TotalSeconds < leastSeconds || still.Elapsed.TotalSeconds < quietSeconds) && total.Elapsed.TotalSeconds < capSeconds)
        {
            body();
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != methods) { methods = now; still.Restart(); }
        }
    }

    /// <summary>
    /// The best time of each body over <paramref name="repeats"/> rounds, the bodies taking turns within every round.
    /// Ratios between them are then measured in the same time window: on a shared machine a slow spell hits all of
    /// them, not just whichever happened to run during it.
    /// </summary>
    public static double[] BestSecondsInterleaved(int repeats, int warmup, params Action[] bodies)
    {
        for (int i = 0; i < warmup; i++) foreach (var body in bodies) body();
        var best = new double[bodies.Length];
        Array.Fill(best, double.MaxValue);
        for (int i = 0; i < repeats; i++)
        {
            for (int b = 0; b < bodies.Length; b++)
            {
                long t0 = Stopwatch.GetTimestamp();
                bodies[b]();
                best[b] = Math.Min(best[b], Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
        }
        return best;
    }

    /// <summary>Like <see cref="BestSeconds(Action,int,int)"/>, but runs <paramref name="setup"/> untimed before every run.</summary>
    public static double BestSeconds(Action setup, Action body, int repeats, int warmup = 1)
    {
        for (int i = 0; i < warmup; i++) { setup(); body(); }
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            setup();
            long t0 = Stopwatch.GetTimestamp();
            body();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return best;
    }
}
