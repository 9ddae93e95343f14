using System.Buffers;
using MessagePack;
using NUnit.Framework;
using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay.Format;

/// <summary>
/// Schema version 4's tree columns (<see cref="TreeColumns"/>): every record reads back exactly, whatever its ids,
/// widths and text; episode prompts taken from the tree root; malformed columns are a clear error.
/// </summary>
public class TreeColumnsTests
{
    private const string Problem = "Using the numbers 1, 25, 1, 16, make 41. Combine two numbers at a time with +, -, *, /.";

    /// <summary>Trees that exercise every column: wide and negative ids, every packed width, null, empty and non-ASCII text.</summary>
    private static List<TickRecord> AwkwardTicks()
    {
        var ticks = new List<TickRecord>();
        for (int t = 1; t <= 9; t++)
        {
            var r = new TickRecord { Tick = t, Keyframe = t % 4 == 1 };
            r.TreeNodes.Add(new TreeNodeRecord(7, 0, -1, Problem.Replace("41", (40 + t).ToString()), t, 0.5f, 0, t % 2 == 0));
            r.TreeNodes.Add(new TreeNodeRecord(7, t, 0, $"{t} + 16 = {t + 16}", 70_000 * t, -0f, float.NaN, true));
            r.TreeNodes.Add(new TreeNodeRecord(7, t + 100, 0, $"{t} + 16 = {t + 17}", 300, float.Epsilon, 1, false));
            r.TreeNodes.Add(new TreeNodeRecord(7, 1, 0, null, 2, 1, 1, false));
            r.TreeNodes.Add(new TreeNodeRecord(-3, 5, 4, "", 0, 0, 0, true));
            // Surrogate pairs that share their high half with the reference text: the shared prefix must stop before it.
            r.TreeNodes.Add(new TreeNodeRecord(-3, 6, 5, "x\uD83D\uDE00y", 1, 0, 0, false));
            r.TreeNodes.Add(new TreeNodeRecord(-3, 7, 5, "x\uD83D\uDE01y", 1, 0, 0, true));
            r.TreeNodes.Add(new TreeNodeRecord(-3, 8, 5, "\uDE01 lone surrogates are not UTF-8: a", 1, 0, 0, false));
            r.TreeNodes.Add(new TreeNodeRecord(-3, 9, 5, "é, ü, 中文, and y", 1, 0, 0, false));
            if (t >= 5) r.TreeNodes.Add(new TreeNodeRecord(int.MaxValue, 1L << 40, -(1L << 33), "wide ids", int.MaxValue, float.MaxValue, float.MinValue, true));
            if (t % 3 == 0) r.TreeNodes.Clear(); // an empty tree block
            ticks.Add(r);
        }
        return ticks;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void RoundTripsAwkwardTreeRecordsBitForBit(bool compress)
    {
        var ticks = AwkwardTicks();
        string path = Write(ticks, new ReplayWriterOptions { ChunkTicks = 4, Compress = compress });
        try
        {
            using var r = ReplayReader.Open(path);
            Assert.That(r.SchemaVersion, Is.EqualTo(ReplayFormat.CurrentVersion));
            var back = r.Ticks().ToList();
            Assert.That(back, Has.Count.EqualTo(ticks.Count));
            for (int i = 0; i < ticks.Count; i++)
            {
                var expected = ticks[i].TreeNodes.Select(Normalize).ToList();
                Assert.That(back[i].TreeNodes.Select(Normalize).ToList(), Is.EqualTo(expected), $"tick {ticks[i].Tick}");
            }
            // Floats come back bit for bit (NaN, -0, denormals), not just equal.
            var wide = back[^2].TreeNodes.Single(n => n.Agent == int.MaxValue);
            Assert.That((wide.Node, wide.Parent), Is.EqualTo((1L << 40, -(1L << 33))));
            var second = back[0].TreeNodes[1];
            Assert.That(BitConverter.SingleToUInt32Bits(second.Value), Is.EqualTo(BitConverter.SingleToUInt32Bits(-0f)));
            Assert.That(float.IsNaN(second.Reward), Is.True);
            Assert.That(RunSim("replay", "verify", path).Code, Is.EqualTo(0));
        }
        finally { File.Delete(path); }
    }

    // A lone surrogate in the part of a text stored as UTF-8 cannot be kept (MessagePack strings are UTF-8 too): it reads
    // back as U+FFFD. (In a part shared with the reference text it is copied as it is.)
    private static TreeNodeRecord Normalize(TreeNodeRecord n) =>
        n with { Step = n.Step?.Replace("\uDE01 lone", "\uFFFD lone") };

    [Test]
    public void EpisodePromptsComeFromTheTreeRootAndCostNoBytes()
    {
        // Two agents; agent 1's episode prompt is its root text, agent 2's is not. The second chunk's keyframe
        // restates agent 1's root, so its episode there reads the prompt from the new chunk's own records.
        List<TickRecord> Ticks(bool promptIsRoot)
        {
            var list = new List<TickRecord>();
            for (int t = 1; t <= 6; t++)
            {
                var r = new TickRecord { Tick = t, Keyframe = t % 3 == 1 };
                if (r.Keyframe || t == 2) r.TreeNodes.Add(new TreeNodeRecord(1, 0, -1, Problem, 1, 0, 0, false));
                r.TreeNodes.Add(new TreeNodeRecord(1, t, 0, $"step {t}", 1, 0, 0, false));
                if (t is 3 or 5)
                {
                    r.Episodes.Add(new EpisodeRecord(1, t, 1, promptIsRoot ? Problem : Problem + " (another)", "answer", 1, true, 10));
                    r.Episodes.Add(new EpisodeRecord(2, t, 2, "a prompt of its own", "answer", 0, false, 20));
                }
                list.Add(r);
            }
            return list;
        }
        var sizes = new List<long>();
        foreach (bool promptIsRoot in new[] { true, false })
        {
            var ticks = Ticks(promptIsRoot);
            string path = Write(ticks, new ReplayWriterOptions { ChunkTicks = 3, Compress = false });
            try
            {
                using var r = ReplayReader.Open(path);
                var back = r.Ticks().SelectMany(t => t.Episodes).ToList();
                Assert.That(back, Is.EqualTo(ticks.SelectMany(t => t.Episodes).ToList()));
                sizes.Add(new FileInfo(path).Length);
            }
            finally { File.Delete(path); }
        }
        // Two episodes whose prompt is the root text store nil instead of the text (and the other prompt in full).
        Assert.That(sizes[1] - sizes[0], Is.GreaterThanOrEqualTo(2 * Problem.Length));
    }

    [Test]
    public void EpisodeWhoseRootIsInAnotherChunkStoresItsPrompt()
    {
        // The root is only in chunk 1; chunk 2's keyframe does not restate it (a hand-built file), so the episode in
        // chunk 2 cannot refer to it and must carry its prompt.
        var ticks = new List<TickRecord>
        {
            new() { Tick = 1, Keyframe = true },
            new() { Tick = 2, Keyframe = true },
        };
        ticks[0].TreeNodes.Add(new TreeNodeRecord(1, 0, -1, Problem, 1, 0, 0, false));
        ticks[1].Episodes.Add(new EpisodeRecord(1, 1, 1, Problem, "answer", 1, true, 10));
        string path = Write(ticks, new ReplayWriterOptions { ChunkTicks = 1 });
        try
        {
            using var r = ReplayReader.Open(path);
            Assert.That(r.Chunks, Has.Count.EqualTo(2));
            Assert.That(r.ReadChunk(1)[0].Episodes.Single().Prompt, Is.EqualTo(Problem));
        }
        finally { File.Delete(path); }
    }

    [TestCase("count", "tree agent column holds")]
    [TestCase("text", "runs past the text column")]
    [TestCase("spare", "holds bytes no record claims")]
    [TestCase("prefix", "shares 99+0 units")]
    [TestCase("nullprefix", "malformed step text")]
    [TestCase("ids", "tree node column holds")]
    [TestCase("chosen", "disagree on the record count")]
    [TestCase("fields", "expected at least 12")]
    [TestCase("negative", "out of bounds")]
    public void MalformedColumnsAreAClearError(string fault, string message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        int n = fault == "negative" ? -1 : 2;
        w.WriteArrayHeader(fault == "fields" ? 11 : 12);
        w.Write(n);
        w.Write(new byte[fault == "count" ? 3 : 2]);             // agents (deltas 0)
        w.Write(new byte[fault == "ids" ? 5 : 2]);               // nodes
        w.Write(new byte[] { 1, 1 });                            // parents: zigzag(-1), both roots
        w.Write(new byte[] { (byte)(fault == "prefix" ? 99 : 0), (byte)(fault == "nullprefix" ? 1 : 0) }); // prefixes
        w.Write(new byte[2]);                                    // suffixes
        w.Write(new byte[] { 2 * 3, fault == "nullprefix" ? (byte)1 : (byte)(2 * 1) }); // middles: 3 bytes, then 1 (or null)
        w.Write(fault switch { "text" => "ab"u8.ToArray(), "spare" => "abcdef"u8.ToArray(), _ => "abcd"u8.ToArray() });
        w.Write(new byte[2]);                                    // visits
        w.Write(new byte[8]);                                    // values
        w.Write(new byte[8]);                                    // rewards
        w.Write(new byte[fault == "chosen" ? 2 : 1]);            // chosen bits
        w.Flush();
        Assert.That(() =>
        {
            var r = new MessagePackReader(buffer.WrittenMemory);
            new TreeColumns().Read(ref r, new List<TreeNodeRecord>());
        }, Throws.InstanceOf<InvalidDataException>().With.Message.Contain(message));
    }

    [Test]
    public void HugeCountsAreRejectedBeforeAllocating()
    {
        // A count of 16 million records over columns of a few bytes: refused by the first column, not allocated.
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(12);
        w.Write(ReplayFormat.MaxListLength);
        for (int i = 0; i < 11; i++) w.Write(new byte[2]);
        w.Flush();
        AssertRefused(buffer, "holds 2 bytes for 16777216 records", allocatingLessThan: 1 << 20);
    }

    [Test]
    public void TextsOutOfProportionToTheirBytesAreRefused()
    {
        // A 20,000-character root, then 20,000 roots each sharing all of it but its last character: a few bytes each in
        // the file, 400 million characters if decoded. Refused once the block has copied its bound of shared text.
        string root = new('r', 20_000);
        int n = 20_001;
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(12);
        w.Write(n);
        w.Write(new byte[n]);                                         // agents
        w.Write(new byte[n]);                                         // nodes
        w.Write(Enumerable.Repeat((byte)1, n).ToArray());             // parents: -1, all roots
        var pre = new byte[2 * n];                                    // prefixes (2 bytes each): 0, then 19,999
        for (int i = 1; i < n; i++) { pre[i] = 19_999 & 0xFF; pre[n + i] = 19_999 >> 8; }
        w.Write(pre);
        w.Write(new byte[n]);                                         // suffixes
        var mid = new byte[2 * n];                                    // middles: 20,000 bytes, then 1
        mid[0] = unchecked((byte)(2 * 20_000)); mid[n] = (2 * 20_000) >> 8;
        for (int i = 1; i < n; i++) mid[i] = 2;
        w.Write(mid);
        w.Write(System.Text.Encoding.UTF8.GetBytes(root + new string('x', n - 1)));
        w.Write(new byte[n]);                                         // visits
        w.Write(new byte[4 * n]);                                     // values
        w.Write(new byte[4 * n]);                                     // rewards
        w.Write(new byte[(n + 7) / 8]);                               // chosen
        w.Flush();
        AssertRefused(buffer, "more shared text than a block may", allocatingLessThan: 64L << 20);
    }

    /// <summary>Reading <paramref name="buffer"/> as a tree block fails with <paramref name="message"/>, within the allocation bound.</summary>
    private static void AssertRefused(ArrayBufferWriter<byte> buffer, string message, long allocatingLessThan)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(() =>
        {
            var r = new MessagePackReader(buffer.WrittenMemory);
            new TreeColumns().Read(ref r, new List<TreeNodeRecord>());
        }, Throws.InstanceOf<InvalidDataException>().With.Message.Contain(message));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(allocatingLessThan));
    }

    [Test]
    public void AWriterNeverSharesMoreThanAReaderAccepts()
    {
        // 600 near-copies of a 20,000-character text in one tick: 12 million shared characters would exceed the
        // block's bound, so the writer stores the later ones in full, and the file reads back.
        string baseText = new('s', 20_000);
        var tick = new TickRecord { Tick = 1, Keyframe = true };
        for (int i = 0; i < 600; i++) tick.TreeNodes.Add(new TreeNodeRecord(1, i + 1, 0, baseText + i, 1, 0, 0, false));
        string path = Write([tick]);
        try
        {
            using var r = ReplayReader.Open(path);
            Assert.That(r.Ticks().Single().TreeNodes.Select(n => n.Step), Is.EqualTo(tick.TreeNodes.Select(n => n.Step)));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void IdenticalTextsShareTheReference()
    {
        // Agents working on one problem: every root is the same text, stored as "all of the last root", read as that string.
        long Size(int roots, out List<TreeNodeRecord> nodes)
        {
            var ticks = new List<TickRecord> { new() { Tick = 1, Keyframe = true } };
            for (int a = 0; a < roots; a++) ticks[0].TreeNodes.Add(new TreeNodeRecord(a, 0, -1, Problem, 0, 0, 0, false));
            string path = Write(ticks, new ReplayWriterOptions { Compress = false });
            try
            {
                using var r = ReplayReader.Open(path);
                nodes = r.Ticks().Single().TreeNodes;
                return new FileInfo(path).Length;
            }
            finally { File.Delete(path); }
        }
        long one = Size(1, out _), fifty = Size(50, out var nodes);
        Assert.That(nodes.Select(n => n.Step), Is.All.EqualTo(Problem));
        Assert.That(nodes.Select(n => n.Step).Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(1));
        Assert.That(fifty - one, Is.LessThan(49 * 20), "each further copy costs a few bytes of columns, not its text");
    }

    [Test]
    public void WellFormedHandBuiltColumnsRead()
    {
        // The same bytes as the malformed cases without a fault: two roots, "abc" and "d".
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(12);
        w.Write(2);
        w.Write(new byte[] { 0, 2 });
        w.Write(new byte[] { 0, 2 });
        w.Write(new byte[] { 1, 1 });
        w.Write(new byte[2]);
        w.Write(new byte[2]);
        w.Write(new byte[] { 6, 2 });
        w.Write("abcd"u8.ToArray());
        w.Write(new byte[] { 3, 4 });
        w.Write(new byte[8]);
        w.Write(new byte[8]);
        w.Write(new byte[] { 2 });
        w.Flush();
        var r = new MessagePackReader(buffer.WrittenMemory);
        var into = new List<TreeNodeRecord>();
        var columns = new TreeColumns();
        columns.Read(ref r, into);
        Assert.That(into, Is.EqualTo(new[]
        {
            new TreeNodeRecord(0, 0, -1, "abc", 3, 0, 0, false),
            new TreeNodeRecord(1, 1, -1, "d", 4, 0, 0, true),
        }));
        Assert.That(columns.RootText(1), Is.EqualTo("d"));
    }
}
