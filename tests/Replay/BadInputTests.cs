using System.Buffers.Binary;
using NUnit.Framework;
using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay;

/// <summary>Truncated, bit-flipped and foreign files: a clear error naming the offset and exit code 2, never a crash or a hang.</summary>
public class BadInputTests
{
    private static byte[] Good()
    {
        string path = Write(Ticks(23));
        try { return File.ReadAllBytes(path); }
        finally { File.Delete(path); }
    }

    private static (int Code, string Err) VerifyBytes(byte[] bytes)
    {
        string path = TempPath("bad");
        File.WriteAllBytes(path, bytes);
        try
        {
            var v = RunSim("replay", "verify", path);
            var i = RunSim("replay", "info", path);
            Assert.That(i.Code, Is.EqualTo(v.Code), $"info and verify disagree: {i.Err} / {v.Err}");
            return (v.Code, v.Err);
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void NotAReplay()
    {
        var (code, err) = VerifyBytes("hello, this is not a replay at all"u8.ToArray());
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("not a replay").And.Contain("offset 0"));
        Assert.That(VerifyBytes([]).Code, Is.EqualTo(2));
        var missing = RunSim("replay", "info", "/nonexistent/x.replay");
        Assert.That(missing.Code, Is.EqualTo(2));
    }

    [Test]
    public void EveryTruncationIsReportedWithItsOffset()
    {
        var good = Good();
        // Cut at many points, including inside the preamble, headers, payloads, the footer and the trailer.
        var cuts = new[] { 3, 15, 16, 40, 60 }.Concat(Enumerable.Range(1, 25).Select(i => good.Length * i / 26)).Append(good.Length - 1).Distinct();
        foreach (int cut in cuts)
        {
            var (code, err) = VerifyBytes(good[..cut]);
            Assert.That(code, Is.EqualTo(2), $"cut at {cut}");
            Assert.That(err, Does.Match(@"offset \d+"), $"cut at {cut}: {err}");
            Assert.That(err, Does.Not.Contain("Exception").And.Not.Contain("   at "), $"cut at {cut}");
        }
    }

    [Test]
    public void TruncatedFileStillReadsItsCompleteChunks()
    {
        var good = Good();
        string path = TempPath();
        try
        {
            using (var full = ReplayReader.Open(Write(Ticks(23))))
            {
                // Cut in the middle of the fourth chunk: the first three must read back whole.
                var c = full.Chunks[3];
                File.WriteAllBytes(path, good[..(int)(c.Offset + 50)]);
            }
            using var r = ReplayReader.Open(path);
            Assert.That(r.IsComplete, Is.False);
            Assert.That(r.Truncation!.Truncated, Is.True);
            Assert.That(r.Chunks, Has.Count.EqualTo(3));
            Assert.That(r.Ticks().Select(t => t.Tick), Is.EqualTo(Enumerable.Range(1, 15).Select(i => (long)i)));
            var (code, err) = (RunSim("replay", "info", path).Code, RunSim("replay", "info", path).Err);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err, Does.Contain("cut short").And.Contain("3 complete chunks"));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void EveryBitFlipIsCaught()
    {
        var good = Good();
        // Flip one bit at offsets spread over the whole file (headers, payloads, footer, trailer).
        for (int i = 0; i < 60; i++)
        {
            int at = (int)((long)good.Length * i / 60);
            var bad = (byte[])good.Clone();
            bad[at] ^= (byte)(1 << (i % 8));
            var (code, err) = VerifyBytes(bad);
            Assert.That(code, Is.EqualTo(2), $"flip at {at} went unnoticed");
            Assert.That(err, Does.Match(@"offset \d+"), $"flip at {at}: {err}");
        }
    }

    [Test]
    public void HugeLengthFieldsAreRejectedBeforeAllocating()
    {
        var good = Good();
        // Rewrite the header frame's stored length to 2 GB and fix its header CRC, as a hostile file would.
        var bad = (byte[])good.Clone();
        int frame = ReplayFormat.PreambleSize;
        BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(frame + 4), int.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(frame + 36), Crc32C.Compute(bad.AsSpan(frame, 36)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (code, err) = VerifyBytes(bad);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("outside 0..").And.Contain($"offset {frame}"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(64L << 20));
    }

    [Test]
    public void MalformedPayloadWithValidChecksumsIsAnError()
    {
        // A payload that passes its CRC but is not valid MessagePack (a buggy or hostile writer).
        string path = TempPath();
        try
        {
            using (var w = ReplayWriter.Create(path, Header(), new ReplayWriterOptions { Compress = false })) { }
            var bytes = File.ReadAllBytes(path).ToList();
            int frame = ReplayFormat.PreambleSize;
            var header = bytes.GetRange(frame, ReplayFormat.FrameHeaderSize).ToArray();
            int stored = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            var junk = Enumerable.Repeat((byte)0xDD, stored).ToArray(); // 0xDD: array32 header claiming billions of items
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(32), Crc32C.Compute(junk));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(36), Crc32C.Compute(header.AsSpan(0, 36)));
            var bad = header.Concat(junk).ToArray();
            var all = bytes.ToArray();
            bad.CopyTo(all, frame);
            File.WriteAllBytes(path, all);
            var ex = Assert.Throws<ReplayFormatException>(() => ReplayReader.Open(path));
            Assert.That(ex!.Message, Does.Contain("malformed").And.Contain($"offset {frame}"));
            Assert.That(RunSim("replay", "info", path).Code, Is.EqualTo(2));
        }
        finally { File.Delete(path); }
    }
}
