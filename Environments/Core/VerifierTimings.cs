using System.Diagnostics;

namespace Sim.Environments;

/// <summary>
/// Sampled wall times of an environment's verifier calls, against a per-call limit: one call in
/// <see cref="SampleEvery"/> on each thread is timed (timing every call would cost more than a fast verifier does), so a
/// verifier that is slow throughout is seen within a few dozen calls. Runs report <see cref="SlowCalls"/> as a warning;
/// the times never touch results, which stay deterministic.
/// </summary>
public sealed class VerifierTimings
{
    /// <summary>One call in this many, per thread, is timed.</summary>
    public const int SampleEvery = 64;

    [ThreadStatic] private static int t_calls;
    private long _timed, _slow, _slowestTicks;

    /// <summary>The per-call limit in milliseconds (default 100).</summary>
    public double LimitMs { get; set; } = 100;

    /// <summary>Calls timed.</summary>
    public long TimedCalls => Interlocked.Read(ref _timed);

    /// <summary>Timed calls that took longer than <see cref="LimitMs"/>.</summary>
    public long SlowCalls => Interlocked.Read(ref _slow);

    /// <summary>The slowest timed call, in milliseconds.</summary>
    public double SlowestMs => Interlocked.Read(ref _slowestTicks) * 1000.0 / Stopwatch.Frequency;

    /// <summary>A timestamp when this call is sampled, else 0.</summary>
    public long Start() => (++t_calls & (SampleEvery - 1)) == 0 ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Ends a call begun with <see cref="Start"/>.</summary>
    public void Stop(long start)
    {
        if (start == 0) return;
        long ticks = Stopwatch.GetTimestamp() - start;
        Interlocked.Increment(ref _timed);
        if (ticks * 1000.0 / Stopwatch.Frequency > LimitMs) Interlocked.Increment(ref _slow);
        long seen;
        while (ticks > (seen = Interlocked.Read(ref _slowestTicks)) && Interlocked.CompareExchange(ref _slowestTicks, ticks, seen) != seen) { }
    }
}
