using NUnit.Framework;
using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay;

public class ReplayFormatTests
{
    [Test]
    public void ChunksAreCutByTheirTextToo()
    {
        // Chunks are cut by the records' estimated size, which must count step text: 200 ticks of one new 16 KiB step
        // each (3.3 MB) with 1 MiB chunks make several chunks, never one that outgrows the format's bound.
        string path = TempPath();
        try
        {
            using (var w = ReplayWriter.Create(path, Header(), new ReplayWriterOptions { ChunkTicks = 1 << 20, ChunkBytes = 1 << 20 }))
            {
                for (int t = 1; t <= 200; t++)
                {
                    var rec = new TickRecord { Tick = t, Keyframe = w.NeedsKeyframe };
                    rec.TreeNodes.Add(new TreeNodeRecord(1, t, 0, new string((char)('a' + t % 26), 16 << 10) + t, 1, 0, 0, false));
                    w.Append(rec);
                }
            }
            using var r = ReplayReader.Open(path);
            Assert.That(r.Chunks.Count, Is.InRange(3, 10));
            Assert.That(r.Ticks().Count(), Is.EqualTo(200));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void RoundTripsEveryRecordKind()
    {
        var ticks = Ticks(23);
        string path = Write(ticks);
        try
        {
            using var r = ReplayReader.Open(path);
            Assert.That(r.IsComplete, Is.True);
            Assert.That(r.Header.Seed, Is.EqualTo(42UL));
            Assert.That(r.Header.ChunkTicks, Is.EqualTo(5));
            Assert.That(r.Chunks, Has.Count.EqualTo(5));
            Assert.That((r.FirstTick, r.LastTick, r.TickCount), Is.EqualTo((1L, 23L, 23L)));
            var back = r.Ticks().ToList();
            Assert.That(back, Has.Count.EqualTo(23));
            for (int i = 0; i < ticks.Count; i++)
            {
                Assert.That(back[i].Tick, Is.EqualTo(ticks[i].Tick));
                Assert.That(back[i].Keyframe, Is.EqualTo(ticks[i].Keyframe));
                Assert.That(back[i].Created, Is.EqualTo(ticks[i].Created));
                Assert.That(back[i].Components[0].Values, Is.EqualTo(ticks[i].Components[0].Values));
                Assert.That(back[i].Components[0].Entities, Is.EqualTo(ticks[i].Components[0].Entities));
                Assert.That(back[i].TreeNodes, Is.EqualTo(ticks[i].TreeNodes));
                Assert.That(back[i].Rewards, Is.EqualTo(ticks[i].Rewards));
                Assert.That(back[i].Metrics, Is.EqualTo(ticks[i].Metrics));
                Assert.That(back[i].Episodes, Is.EqualTo(ticks[i].Episodes));
            }
            Assert.That(r.ChunkMetrics[^1].Single().Value, Is.EqualTo(1.0 / 23));
            Assert.That(r.Verify().Chunks, Is.EqualTo(5));
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// Component columns survive every predictor path bit for bit, in every schema version that has one: rows that keep
    /// their entity for two blocks (linear prediction), for one (previous value), rows that moved or are new (stored
    /// as they are), blocks that grow and shrink, an empty block, and awkward bit patterns (NaN, infinities, -0, huge
    /// jumps that wrap the integer arithmetic). Version 3 must also be smaller than version 2 on steady motion.
    /// </summary>
    [Test]
    public void ComponentColumnsRoundTripBitForBitUnderChurn()
    {
        var rng = new Sim.Engine.Rng(77);
        var ticks = new List<TickRecord>();
        var ids = Enumerable.Range(1, 300).ToList();
        int nextId = 301;
        for (int t = 1; t <= 90; t++)
        {
            var r = new TickRecord { Tick = t, Keyframe = (t - 1) % 30 == 0 };
            // Churn: a few ids leave (the last one takes the hole, like the ECS), a few arrive at the end.
            for (int k = 0; k < 3 && ids.Count > 10; k++)
            {
                int at = (int)(rng.NextDouble() * ids.Count);
                ids[at] = ids[^1];
                ids.RemoveAt(ids.Count - 1);
            }
            for (int k = 0; k < (t % 5 == 0 ? 6 : 2); k++) ids.Add(nextId++);
            if (t == 45) ids.Reverse();
            var values = new float[ids.Count * 3];
            for (int i = 0; i < ids.Count; i++)
            {
                int id = ids[i];
                values[3 * i] = 100f + id * 0.5f + t * (1f + id % 7) / 60f;                    // steady motion
                values[3 * i + 1] = (float)rng.NextDouble() * 1000f - 500f;                    // noise
                values[3 * i + 2] = (id + t) % 11 switch
                {
                    0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, 3 => -0f,
                    4 => BitConverter.Int32BitsToSingle(int.MinValue + t), 5 => BitConverter.Int32BitsToSingle(int.MaxValue - t),
                    _ => t,
                };
            }
            r.Components.Add(new ComponentBlock(0, ids.ToArray(), values));
            r.Components.Add(t % 9 == 0 ? new ComponentBlock(1, [], []) : new ComponentBlock(1, ids.Take(1 + t % 4).ToArray(), values.Skip(2).Take(1 + t % 4).ToArray()));
            ticks.Add(r);
        }
        long size2 = 0, size3 = 0;
        foreach (int version in new[] { 2, 3 })
        {
            string path = Write(ticks, new ReplayWriterOptions { ChunkTicks = 30, SchemaVersion = version },
                Header(version) with { Components = [new ComponentSchema(0, "motion", ["a", "b", "c"]), new ComponentSchema(1, "status", ["value"])] });
            try
            {
                if (version == 2) size2 = new FileInfo(path).Length; else size3 = new FileInfo(path).Length;
                using var reader = ReplayReader.Open(path);
                var back = reader.Ticks().ToList();
                Assert.That(back, Has.Count.EqualTo(ticks.Count));
                for (int i = 0; i < ticks.Count; i++)
                for (int b = 0; b < 2; b++)
                {
                    Assert.That(back[i].Components[b].Entities, Is.EqualTo(ticks[i].Components[b].Entities), $"v{version} tick {i + 1} block {b} ids");
                    Assert.That(Bits(back[i].Components[b].Values), Is.EqualTo(Bits(ticks[i].Components[b].Values)), $"v{version} tick {i + 1} block {b} values");
                }
            }
            finally { File.Delete(path); }
        }
        Assert.That(size3, Is.LessThan(size2));
        static int[] Bits(float[] v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [Test]
    public void SeekRebuildsStateFromTheChunkKeyframe()
    {
        string path = Write(Ticks(23));
        try
        {
            using var r = ReplayReader.Open(path);
            var cursor = new ReplayCursor(r);
            var s = cursor.Seek(13);
            Assert.That(s.Tick, Is.EqualTo(13));
            Assert.That(s.Component("position")!.Get(2).ToArray(), Is.EqualTo(new[] { 13.5f, 7f }));
            // Tree nodes since the keyframe at tick 11 (keyframes restate state; this writer restates only its own tick).
            Assert.That(s.Trees[1].Keys, Is.EquivalentTo(new long[] { 11, 12, 13 }));
            Assert.That(s.Trees[1][12].Chosen, Is.True);
            Assert.That(cursor.Seek(2).Tick, Is.EqualTo(2)); // backwards
            Assert.That(cursor.Seek(999).Tick, Is.EqualTo(23)); // clamped
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void SameRecordsGiveByteIdenticalFiles_AndMetaIsOptional()
    {
        string a = Write(Ticks(30)), b = Write(Ticks(30));
        string c = Write(Ticks(30), new ReplayWriterOptions { ChunkTicks = 5, IncludeMeta = true });
        try
        {
            Assert.That(File.ReadAllBytes(a), Is.EqualTo(File.ReadAllBytes(b)));
            using var rc = ReplayReader.Open(c);
            Assert.That(rc.Meta!.Entries.Keys, Is.EquivalentTo(new[] { "created_utc", "host" }));
            using var ra = ReplayReader.Open(a);
            Assert.That(ra.Meta, Is.Null);
        }
        finally { File.Delete(a); File.Delete(b); File.Delete(c); }
    }

    [Test]
    public void WriterRejectsOutOfOrderTicksAndMissingKeyframes()
    {
        string path = TempPath();
        try
        {
            using var w = ReplayWriter.Create(path, Header(), new ReplayWriterOptions { ChunkTicks = 5 });
            Assert.Throws<ArgumentException>(() => w.Append(new TickRecord { Tick = 1 })); // first tick must be a keyframe
            w.Append(new TickRecord { Tick = 1, Keyframe = true });
            Assert.Throws<ArgumentException>(() => w.Append(new TickRecord { Tick = 1 }));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void CrcMatchesTheStandardCheckValue()
    {
        // CRC-32C of "123456789" is 0xE3069283 (RFC 3720); hardware and table paths must agree.
        var data = "123456789"u8;
        Assert.That(Crc32C.Compute(data), Is.EqualTo(0xE3069283u));
        Assert.That(Crc32C.ComputeWithTable(data), Is.EqualTo(0xE3069283u));
        var big = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        Assert.That(Crc32C.Compute(big), Is.EqualTo(Crc32C.ComputeWithTable(big)));
    }

    [Test]
    public void StatsExportAndDiff()
    {
        string a = Write(Ticks(30)), b = Write(Ticks(30));
        var changed = Ticks(30);
        changed[17].Components[0].Values[3] = 99; // entity 2, field y
        string c = Write(changed);
        string jsonl = Path.ChangeExtension(TempPath(), ".jsonl");
        try
        {
            using (var r = ReplayReader.Open(a))
            {
                var s = ReplayStats.Compute(r);
                Assert.That(s.Overall.Episodes, Is.EqualTo(4)); // ticks 7, 14, 21, 28
                Assert.That(s.Overall.SolveRate, Is.EqualTo(0.5));
                Assert.That(s.Agents[1].Compute, Is.EqualTo(107 + 114 + 121 + 128));
            }
            var (code, _, err) = RunSim("replay", "export", a, "--jsonl", jsonl);
            Assert.That(code, Is.EqualTo(0), err);
            var lines = File.ReadAllLines(jsonl);
            Assert.That(lines, Has.Length.EqualTo(4));
            using (var doc = System.Text.Json.JsonDocument.Parse(lines[0]))
            {
                Assert.That(doc.RootElement.GetProperty("prompt").GetString(), Is.EqualTo("prompt 7"));
                Assert.That(doc.RootElement.GetProperty("completion").GetString(), Is.EqualTo("answer 7\n"));
                Assert.That(doc.RootElement.GetProperty("reward").GetDouble(), Is.EqualTo(1));
                Assert.That(doc.RootElement.GetProperty("label").GetBoolean(), Is.False);
            }
            var stats = RunSim("replay", "stats", a, "--json");
            Assert.That(stats.Code, Is.EqualTo(0));
            Assert.That(stats.Out, Does.Contain("\"solve_rate\":0.5"));
            Assert.That(RunSim("replay", "diff", a, b).Code, Is.EqualTo(0));
            var diff = RunSim("replay", "diff", a, c);
            Assert.That(diff.Code, Is.EqualTo(1));
            Assert.That(diff.Out, Does.Contain("first difference at tick 18").And.Contain("entity 2"));
        }
        finally { File.Delete(a); File.Delete(b); File.Delete(c); File.Delete(jsonl); }
    }
}
