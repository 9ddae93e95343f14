using NUnit.Framework;
using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay.Writing;

/// <summary>The writer's pooled chunk buffer and its keyframe records: what keeps large arrays off the GC's hands.</summary>
public class ChunkBufferTests
{
    [Test]
    public void GrowsKeepingItsBytes_AndGoesBackToThePool()
    {
        var buffer = new ChunkBuffer(16);
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        for (int at = 0; at < data.Length; at += 1000)
        {
            var span = buffer.GetSpan(1000);
            Assert.That(span.Length, Is.GreaterThanOrEqualTo(1000));
            data.AsSpan(at, 1000).CopyTo(span);
            buffer.Advance(1000);
        }
        Assert.That(buffer.WrittenMemory.ToArray(), Is.EqualTo(data));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(int.MaxValue));
        Assert.That(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(buffer.WrittenMemory, out var segment), Is.True);
        buffer.ResetWrittenCount();
        Assert.That(buffer.WrittenMemory.Length, Is.Zero);
        buffer.Dispose();
        buffer.Dispose(); // twice is harmless: given back once
        // The pool hands out its most recently returned array of a size first (tests do not run in parallel here).
        var again = ChunkBuffer.Pool.Rent(segment.Array!.Length);
        Assert.That(again, Is.SameAs(segment.Array), "the buffer went back to the pool");
        Assert.That(ChunkBuffer.Pool.Rent(segment.Array.Length), Is.Not.SameAs(again), "and only once");
        ChunkBuffer.Pool.Return(again);
    }

    [Test]
    public void KeyframeRecordsAreReusedWithTheirCapacity_DeltaRecordsApart()
    {
        string path = TempPath();
        try
        {
            using var w = ReplayWriter.Create(path, Header(), new ReplayWriterOptions { Background = false, ChunkTicks = 2 });
            var key = w.RentRecord(1, keyframe: true);
            for (int i = 0; i < 5000; i++) key.TreeNodes.Add(new TreeNodeRecord(1, i, i - 1, null, 1, 0, 0, false));
            int capacity = key.TreeNodes.Capacity;
            w.Append(key);
            var delta = w.RentRecord(2, keyframe: false);
            Assert.That(delta, Is.Not.SameAs(key), "a delta does not take the keyframe's record");
            w.Append(delta);
            var again = w.RentRecord(3, keyframe: true);
            Assert.That(again, Is.SameAs(key), "the next keyframe reuses the last keyframe's record");
            Assert.That(again.TreeNodes, Is.Empty);
            Assert.That(again.TreeNodes.Capacity, Is.EqualTo(capacity), "with its lists' capacity");
            w.Append(again);
        }
        finally { File.Delete(path); }
    }
}
