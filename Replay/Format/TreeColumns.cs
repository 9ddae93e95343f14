using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;
using System.Text;
using MessagePack;

namespace Sim.Replay;

/// <summary>
/// Schema version 4's encoding of a tick's search-tree records: one column per field instead of one MessagePack array
/// per record, and the step texts as one UTF-8 blob, each text coded against the one before it.
/// <code>
/// trees    := [count, agents, nodes, parents, prefixes, suffixes, middles, text, visits, values, rewards, chosen]
/// agents     packed, zigzag of the difference from the record before (the first from 0)
/// nodes      packed zigzag ids; or, when an id needs 64 bits, [low halves, high halves] (two packed columns)
/// parents    the same
/// prefixes   packed: UTF-16 units the step shares with its reference text's start (0 for no text)
/// suffixes   packed: units it shares with the reference's end, after the prefix
/// middles    packed zigzag: UTF-8 bytes of the rest, in text; -1 when the step is null ("unchanged")
/// text       bin: the middles, concatenated
/// visits     packed; values, rewards: float32 byte-planar (bin)
/// chosen     bin: one bit per record, least significant bit first
/// packed   := bin of count values of one width, 1, 2 or 4 bytes (the smallest that holds them all; read from the
///             length), byte-planar
/// </code>
/// A root's (parent &lt; 0) reference text is the last root text of this chunk; any other step's is the last non-root
/// step text of this tick. Search trees are mostly their problem statements (a root per new episode, differing from the
/// last one in a few numbers) and short sibling steps ("19 + 16 = 35", "19 + 16 = 36"), so little of the text is new.
/// <para>
/// Why: a search tick holds about a thousand small records and 20 KB of text. Written field by field, with a
/// MessagePack tag and a bounds check each, they were half of the writer's encoding time, and LZ4 had to find the
/// repeated text again in every chunk; as narrow columns and new text only, they are a few tight loops and bulk copies
/// over about half the bytes.
/// </para>
/// <para>
/// The context also remembers, per agent, the text of the latest root node seen in this chunk, in record order. An
/// episode whose prompt equals it stores nil instead (<see cref="RootText"/>): a search episode's prompt is its tree's
/// root text. Writer and reader track the same records in the same order, and a chunk starts empty (its keyframe
/// restates every root).
/// </para>
/// </summary>
internal sealed class TreeColumns
{
    private uint[] _ints = new uint[1024];
    private byte[] _bytes = new byte[4096];
    private byte[] _text = new byte[4096];
    private char[] _chars = new char[256];
    private readonly Dictionary<int, string> _roots = new();
    private string _lastRoot = "";

    /// <summary>Forgets the root texts: a chunk starts from nothing.</summary>
    public void Reset()
    {
        _roots.Clear();
        _lastRoot = "";
    }

    /// <summary>The text of <paramref name="agent"/>'s latest root node in this chunk, or null.</summary>
    public string? RootText(int agent) => _roots.GetValueOrDefault(agent);

    /// <summary>Writes <paramref name="nodes"/> as columns.</summary>
    public void Write(ref MessagePackWriter w, ReadOnlySpan<TreeNodeRecord> nodes)
    {
        int n = nodes.Length;
        bool wide = false;
        foreach (ref readonly var t in nodes)
            if (t.Node != (int)t.Node || t.Parent != (int)t.Parent) { wide = true; break; }
        var col = Ints(3 * n);
        w.WriteArrayHeader(12);
        w.Write(n);

        int prev = 0;
        for (int i = 0; i < n; i++) { col[i] = ZigZag(nodes[i].Agent - prev); prev = nodes[i].Agent; }
        WritePacked(ref w, col[..n]);
        WriteIds(ref w, nodes, col, wide, parent: false);
        WriteIds(ref w, nodes, col, wide, parent: true);

        // Step texts: prefix, suffix and middle length columns side by side in the scratch.
        var pre = col[..n];
        var suf = col.Slice(n, n);
        var mid = col.Slice(2 * n, n);
        int textBytes = 0;
        long shared = 0;
        string lastStep = "";
        for (int i = 0; i < n; i++)
        {
            ref readonly var t = ref nodes[i];
            // The texts were made on the simulation's cores ticks ago and are out of this core's caches: ask for the
            // one a few records ahead now, so its cache miss overlaps the work on this one (in a recorded run, the
            // wait for each text's first line was most of this loop's time).
            if (i + PrefetchDistance < n) Prefetch(nodes[i + PrefetchDistance].Step);
            string? step = t.Step;
            if (step is null) { pre[i] = 0; suf[i] = 0; mid[i] = ZigZag(-1); continue; }
            bool root = t.Parent < 0;
            string reference = root ? _lastRoot : lastStep;
            var (p, q) = Shared(step, reference);
            bool same = p + q == step.Length && p + q == reference.Length;
            if (!same)
            {
                // Not the reference itself: a copy the reader makes, within the block's bound (else stored in full).
                if (shared + p + q > MaxSharedChars) (p, q) = (0, 0);
                shared += p + q;
            }
            var middle = step.AsSpan(p, step.Length - p - q);
            int max = Encoding.UTF8.GetMaxByteCount(middle.Length);
            if (_text.Length - textBytes < max) Array.Resize(ref _text, Math.Max(textBytes + max, 2 * _text.Length));
            int len = Encoding.UTF8.GetBytes(middle, _text.AsSpan(textBytes));
            textBytes += len;
            pre[i] = (uint)p;
            suf[i] = (uint)q;
            mid[i] = ZigZag(len);
            if (root) { _lastRoot = step; _roots[t.Agent] = step; }
            else lastStep = step;
        }
        WritePacked(ref w, pre);
        WritePacked(ref w, suf);
        WritePacked(ref w, mid);
        w.Write(_text.AsSpan(0, textBytes));

        for (int i = 0; i < n; i++) col[i] = (uint)nodes[i].Visits;
        WritePacked(ref w, col[..n]);
        for (int i = 0; i < n; i++) col[i] = BitConverter.SingleToUInt32Bits(nodes[i].Value);
        RecordCodec.WriteColumn(ref w, MemoryMarshal.AsBytes(col[..n]), 4);
        for (int i = 0; i < n; i++) col[i] = BitConverter.SingleToUInt32Bits(nodes[i].Reward);
        RecordCodec.WriteColumn(ref w, MemoryMarshal.AsBytes(col[..n]), 4);

        var bits = Bytes((n + 7) / 8);
        bits.Clear();
        for (int i = 0; i < n; i++) if (nodes[i].Chosen) bits[i >> 3] |= (byte)(1 << (i & 7));
        w.Write(bits);
    }

    /// <summary>Reads columns written by <see cref="Write"/> into <paramref name="into"/>, checking that they agree.</summary>
    public void Read(ref MessagePackReader r, List<TreeNodeRecord> into)
    {
        int fields = r.ReadArrayHeader();
        if (fields < 12) throw new InvalidDataException($"tree columns have {fields} fields, expected at least 12");
        int n = r.ReadInt32();
        if (n < 0 || n > ReplayFormat.MaxListLength) throw new InvalidDataException($"tree column count {n} is out of bounds");
        var agents = ReadPacked(ref r, n, "agent");
        var nodes = ReadIds(ref r, n, "node");
        var parents = ReadIds(ref r, n, "parent");
        var pre = ReadPacked(ref r, n, "prefix");
        var suf = ReadPacked(ref r, n, "suffix");
        var mid = ReadPacked(ref r, n, "middle");
        var text = RecordCodec.ReadBin(ref r);
        var visits = ReadPacked(ref r, n, "visits");
        var values = RecordCodec.ReadColumn<float>(ref r, 4);
        var rewards = RecordCodec.ReadColumn<float>(ref r, 4);
        var chosen = RecordCodec.ReadBin(ref r);
        if (values.Length != n || rewards.Length != n || chosen.Length != (n + 7) / 8)
            throw new InvalidDataException($"tree columns disagree on the record count ({n})");
        for (int i = 0; i < fields - 12; i++) r.Skip();

        into.EnsureCapacity(into.Count + n);
        int agent = 0, at = 0;
        string lastStep = "";
        // Text made from shared parts can be far longer than its bytes in the file (a hostile block whose records each
        // copy a long reference would allocate gigabytes from kilobytes), so a block may copy at most MaxSharedChars;
        // the writer never shares more. A text identical to its reference is the reference itself, not a copy.
        long shared = 0;
        for (int i = 0; i < n; i++)
        {
            agent = unchecked(agent + UnZigZag(agents[i]));
            bool root = parents[i] < 0;
            string? step = null;
            int len = UnZigZag(mid[i]);
            if (len >= 0)
            {
                if (len > text.Length - at) throw new InvalidDataException($"tree record {i}'s step text runs past the text column");
                step = Join(root ? _lastRoot : lastStep, pre[i], suf[i], text.Slice(at, len), i, ref shared);
                at += len;
                if (root) { _lastRoot = step; _roots[agent] = step; }
                else lastStep = step;
            }
            else if (len != -1 || pre[i] != 0 || suf[i] != 0) throw new InvalidDataException($"tree record {i} has a malformed step text");
            into.Add(new TreeNodeRecord(agent, nodes[i], parents[i], step, (int)visits[i], values[i], rewards[i], (chosen[i >> 3] >> (i & 7) & 1) != 0));
        }
        if (at != text.Length) throw new InvalidDataException("the tree text column holds bytes no record claims");
    }

    /// <summary>
    /// Most UTF-16 units one block's texts may copy from their references (texts identical to their reference are free:
    /// the reader hands out the reference). It bounds what a reader allocates for a block beyond the block's own bytes.
    /// </summary>
    internal const int MaxSharedChars = 8 << 20;

    /// <summary>How many records ahead a pass over tree records asks for step text.</summary>
    internal const int PrefetchDistance = 8;

    /// <summary>Asks the CPU to bring the start of <paramref name="s"/> into the cache; a hint, no effect on results.</summary>
    internal static unsafe void Prefetch(string? s)
    {
        // The address of the first character, without reading the string (which would wait for the miss).
        if (s is not null && Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in s.GetPinnableReference())));
    }

    /// <summary>
    /// UTF-16 units <paramref name="s"/> shares with the start of <paramref name="reference"/>, and then with its end,
    /// never splitting a surrogate pair (the rest is stored as UTF-8, which cannot hold half a pair).
    /// </summary>
    private static (int Prefix, int Suffix) Shared(string s, string reference)
    {
        int p = s.AsSpan().CommonPrefixLength(reference);
        if (p > 0 && p < s.Length && char.IsLowSurrogate(s[p])) p--;
        int max = Math.Min(s.Length, reference.Length) - p, q = 0;
        ReadOnlySpan<char> a = s, b = reference;
        // Sixteen units at a time first: a problem statement shares a long tail with the last one.
        while (q + 16 <= max && a.Slice(a.Length - q - 16, 16).SequenceEqual(b.Slice(b.Length - q - 16, 16))) q += 16;
        while (q < max && a[a.Length - 1 - q] == b[b.Length - 1 - q]) q++;
        if (q > 0 && q < s.Length - p && char.IsLowSurrogate(s[s.Length - q])) q--;
        return (p, q);
    }

    private string Join(string reference, uint prefix, uint suffix, ReadOnlySpan<byte> middle, int record, ref long shared)
    {
        if ((ulong)prefix + suffix > (ulong)reference.Length)
            throw new InvalidDataException($"tree record {record} shares {prefix}+{suffix} units with a reference text of {reference.Length}");
        if (middle.IsEmpty && prefix + suffix == reference.Length) return reference;
        shared += prefix + suffix;
        if (shared > MaxSharedChars)
            throw new InvalidDataException($"tree record {record} copies more shared text than a block may ({MaxSharedChars} characters)");
        int chars = Encoding.UTF8.GetMaxCharCount(middle.Length);
        if (_chars.Length < chars) _chars = new char[Math.Max(chars, 2 * _chars.Length)];
        int m = Encoding.UTF8.GetChars(middle, _chars);
        return string.Concat(reference.AsSpan(0, (int)prefix), _chars.AsSpan(0, m), reference.AsSpan(reference.Length - (int)suffix));
    }

    private Span<uint> Ints(int n)
    {
        if (_ints.Length < n) _ints = new uint[Math.Max(n, 2 * _ints.Length)];
        return _ints.AsSpan(0, n);
    }

    private Span<byte> Bytes(int n)
    {
        if (_bytes.Length < n) _bytes = new byte[Math.Max(n, 2 * _bytes.Length)];
        return _bytes.AsSpan(0, n);
    }

    /// <summary>Node or parent ids: zigzagged and packed; when one needs 64 bits, [low halves, high halves].</summary>
    private void WriteIds(ref MessagePackWriter w, ReadOnlySpan<TreeNodeRecord> nodes, Span<uint> col, bool wide, bool parent)
    {
        int n = nodes.Length;
        for (int i = 0; i < n; i++)
        {
            long id = parent ? nodes[i].Parent : nodes[i].Node;
            ulong z = (ulong)((id << 1) ^ (id >> 63));
            col[i] = (uint)z;
            if (wide) col[n + i] = (uint)(z >> 32);
        }
        if (!wide) { WritePacked(ref w, col[..n]); return; }
        w.WriteArrayHeader(2);
        WritePacked(ref w, col[..n]);
        WritePacked(ref w, col.Slice(n, n));
    }

    private static long[] ReadIds(ref MessagePackReader r, int n, string what)
    {
        if (r.NextMessagePackType == MessagePackType.Array)
        {
            if (r.ReadArrayHeader() != 2) throw new InvalidDataException($"wide tree {what} ids need two halves");
            var lo = ReadPacked(ref r, n, what);
            var hi = ReadPacked(ref r, n, what);
            var ids = new long[n];
            for (int i = 0; i < n; i++)
            {
                ulong z = (ulong)hi[i] << 32 | lo[i];
                ids[i] = (long)(z >> 1) ^ -(long)(z & 1);
            }
            return ids;
        }
        var col = ReadPacked(ref r, n, what);
        var narrow = new long[n];
        for (int i = 0; i < n; i++) narrow[i] = UnZigZag(col[i]);
        return narrow;
    }

    /// <summary>Writes <paramref name="values"/> at the smallest width that holds them all, byte-planar.</summary>
    private void WritePacked(ref MessagePackWriter w, Span<uint> values)
    {
        uint all = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<uint>.Zero;
            var vs = MemoryMarshal.Cast<uint, Vector<uint>>(values);
            foreach (var v in vs) acc |= v;
            for (int k = 0; k < Vector<uint>.Count; k++) all |= acc[k];
            i = vs.Length * Vector<uint>.Count;
        }
        for (; i < values.Length; i++) all |= values[i];
        int width = all < 0x100 ? 1 : all < 0x10000 ? 2 : 4;
        int n = values.Length;
        if (width == 4) { RecordCodec.WriteColumn(ref w, MemoryMarshal.AsBytes(values), 4); return; }
        w.WriteBinHeader(width * n);
        var dst = w.GetSpan(width * n)[..(width * n)];
        if (width == 1) for (int k = 0; k < n; k++) dst[k] = (byte)values[k];
        else for (int k = 0; k < n; k++) { dst[k] = (byte)values[k]; dst[n + k] = (byte)(values[k] >> 8); }
        w.Advance(width * n);
    }

    /// <summary>Reads a column written by <see cref="WritePacked"/> of <paramref name="n"/> values.</summary>
    private static uint[] ReadPacked(ref MessagePackReader r, int n, string what)
    {
        var src = RecordCodec.ReadBin(ref r);
        // The count comes from the payload: check it against the bytes that are really there before allocating.
        if (src.Length != n && src.Length != 2L * n && src.Length != 4L * n)
            throw new InvalidDataException($"tree {what} column holds {src.Length} bytes for {n} records");
        var result = new uint[n];
        if (n == 0) return result;
        if (src.Length == n) for (int k = 0; k < n; k++) result[k] = src[k];
        else if (src.Length == 2 * n) for (int k = 0; k < n; k++) result[k] = src[k] | (uint)src[n + k] << 8;
        else if (n >= 2) RecordCodec.Unshuffle(src, MemoryMarshal.AsBytes(result.AsSpan()));
        else src.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    private static uint ZigZag(int v) => (uint)((v << 1) ^ (v >> 31));
    private static int UnZigZag(uint z) => (int)(z >> 1) ^ -(int)(z & 1);
}
