using NUnit.Framework;
using Sim.Replay;

namespace Sim.Tests.Replay.Writing;

public class IdleSchedulingTests
{
    /// <summary>Field <paramref name="field"/> (1-based, as in proc(5)) of the calling thread's /proc stat line.</summary>
    private static long StatField(int field)
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[field - 3]);
    }

    private const int PolicyField = 41, NiceField = 19, SchedIdle = 5;

    [Test]
    public void MovesOnlyTheCallingThreadToTheIdleClass()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Ignore("the idle class is set on x86-64 Linux only");
        long policyBefore = StatField(PolicyField), niceBefore = StatField(NiceField);
        bool done = false;
        long policy = -1, nice = -1;
        var thread = new Thread(() =>
        {
            done = IdleScheduling.TryCurrentThread();
            policy = StatField(PolicyField);
            nice = StatField(NiceField);
        });
        thread.Start();
        thread.Join();
        Assert.That(done, Is.True);
        Assert.That(policy == SchedIdle || nice == 19, Is.True, $"policy {policy}, nice {nice}");
        Assert.That((StatField(PolicyField), StatField(NiceField)), Is.EqualTo((policyBefore, niceBefore)), "other threads keep their class");
    }

    [Test]
    public void ARecordingWithAnIdleWriterStillWritesEveryTick()
    {
        // Even with every core busy, Append blocks once the queue is full, so the idle writer gets the core it needs.
        string path = ReplayTestFiles.TempPath("idle-writer");
        try
        {
            var busy = new CancellationTokenSource();
            var spinners = Enumerable.Range(0, Environment.ProcessorCount)
                .Select(_ => Task.Run(() => { while (!busy.IsCancellationRequested) Thread.SpinWait(1000); })).ToArray();
            try
            {
                using (var w = ReplayWriter.Create(path, ReplayTestFiles.Header(), new ReplayWriterOptions { ChunkTicks = 4, QueueCapacity = 16 }))
                    for (long t = 1; t <= 200; t++)
                    {
                        var rec = new TickRecord { Tick = t, Keyframe = w.NeedsKeyframe };
                        rec.Metrics.Add(new MetricRecord("t", t));
                        w.Append(rec);
                    }
            }
            finally
            {
                busy.Cancel();
                Task.WaitAll(spinners);
            }
            using var r = ReplayReader.Open(path);
            Assert.That(r.Ticks().Select(t => t.Tick), Is.EqualTo(Enumerable.Range(1, 200).Select(i => (long)i)));
        }
        finally { File.Delete(path); }
    }
}
