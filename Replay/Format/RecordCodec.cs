using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MessagePack;

namespace Sim.Replay;

/// <summary>
/// MessagePack encoding of headers, ticks and the footer, written by hand with <see cref="MessagePackWriter"/> and
/// <see cref="MessagePackReader"/> so every length is bounded before it is used and the layout is explicit.
/// Every record is an array. Evolution rule: fields are only ever appended; a reader takes the fields it knows and
/// skips any after them, and fills fields missing from an older file with defaults.
/// </summary>
internal static class RecordCodec
{
    // ---- header ----

    public static void WriteHeader(ref MessagePackWriter w, ReplayHeader h, int version)
    {
        w.WriteArrayHeader(version >= 2 ? 7 : 6);
        w.Write(version);
        w.Write(h.Seed);
        w.Write(h.CodeVersion);
        w.Write(h.Source);
        w.Write(h.ConfigJson);
        w.WriteArrayHeader(h.Components.Count);
        foreach (var c in h.Components)
        {
            w.WriteArrayHeader(3);
            w.Write(c.Id);
            w.Write(c.Name);
            w.WriteArrayHeader(c.Fields.Count);
            foreach (var f in c.Fields) w.Write(f);
        }
        if (version >= 2) w.Write(h.ChunkTicks);
    }

    public static ReplayHeader ReadHeader(ref MessagePackReader r)
    {
        int n = Count(ref r);
        if (n < 6) throw new InvalidDataException($"header has {n} fields, expected at least 6");
        int version = r.ReadInt32();
        ulong seed = r.ReadUInt64();
        string code = Str(ref r) ?? "";
        string source = Str(ref r) ?? "";
        string config = Str(ref r) ?? "{}";
        int nc = Count(ref r);
        var comps = new List<ComponentSchema>(nc);
        for (int i = 0; i < nc; i++)
        {
            int m = Count(ref r);
            if (m < 3) throw new InvalidDataException("component schema has fewer than 3 fields");
            int id = r.ReadInt32();
            string name = Str(ref r) ?? "";
            int nf = Count(ref r);
            var fields = new string[nf];
            for (int k = 0; k < nf; k++) fields[k] = Str(ref r) ?? "";
            Skip(ref r, m - 3);
            comps.Add(new ComponentSchema(id, name, fields));
        }
        int chunkTicks = n >= 7 ? r.ReadInt32() : 0; // v1 had no chunk size
        Skip(ref r, n - 7);
        return new ReplayHeader(version, seed, code, source, config, comps, chunkTicks);
    }

    // ---- meta ----

    public static void WriteMeta(ref MessagePackWriter w, ReplayMeta meta)
    {
        var keys = meta.Entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        w.WriteMapHeader(keys.Length);
        foreach (var k in keys) { w.Write(k); w.Write(meta.Entries[k]); }
    }

    public static ReplayMeta ReadMeta(ref MessagePackReader r)
    {
        int n = r.ReadMapHeader();
        if (n > ReplayFormat.MaxListLength) throw new InvalidDataException($"map of {n} entries exceeds the bound");
        var d = new Dictionary<string, string>(n);
        for (int i = 0; i < n; i++) d[Str(ref r) ?? ""] = Str(ref r) ?? "";
        return new ReplayMeta(d);
    }

    // ---- ticks ----

    public static void WriteTick(ref MessagePackWriter w, TickRecord t, int version, ChunkContext? ctx = null)
    {
        w.WriteArrayHeader(version >= 2 ? 10 : 9);
        w.Write(t.Tick);
        w.Write(t.Keyframe);

        w.WriteArrayHeader(t.Created.Count);
        foreach (var c in t.Created)
        {
            w.WriteArrayHeader(3);
            w.Write(c.Id);
            w.Write((byte)c.Kind);
            w.Write(c.Label);
        }

        WriteInts(ref w, CollectionsMarshal.AsSpan(t.Destroyed), version);

        w.WriteArrayHeader(t.Components.Count);
        foreach (var b in t.Components)
        {
            w.WriteArrayHeader(3);
            w.Write(b.Component);
            if (version >= 3 && ctx is not null)
            {
                // ids XORed with the last block's, values predicted from the last two (ChunkContext), both planar.
                ctx.EncodeV3(b, out var ids, out var vals);
                WriteInts(ref w, ids, version);
                WriteColumn(ref w, MemoryMarshal.AsBytes(vals), version);
                continue;
            }
            WriteInts(ref w, b.EntitySpan, version);
            if (version >= 2)
            {
                // bin: float32, XOR-delta against the chunk's previous block, byte-planar.
                WriteColumn(ref w, ctx is null ? MemoryMarshal.AsBytes(b.ValueSpan) : MemoryMarshal.AsBytes(ctx.Encode(b)), version);
            }
            else
            {
                w.WriteArrayHeader(b.ValueCount);
                foreach (float v in b.ValueSpan) w.Write(v);
            }
        }

        w.WriteArrayHeader(t.Rewards.Count);
        foreach (var rw in t.Rewards)
        {
            w.WriteArrayHeader(4);
            w.Write(rw.Agent);
            w.Write(rw.Value);
            w.Write((byte)rw.Kind);
            w.Write(rw.Node);
        }

        // Version 4 writes tree records as columns (TreeColumns); older versions one array per record.
        if (version >= 4) Context(ctx).Trees.Write(ref w, CollectionsMarshal.AsSpan(t.TreeNodes));
        else WriteTreeRecords(ref w, t.TreeNodes, version);

        WriteInts(ref w, CollectionsMarshal.AsSpan(t.TreesCleared), version);

        w.WriteArrayHeader(t.Metrics.Count);
        foreach (var m in t.Metrics)
        {
            w.WriteArrayHeader(2);
            w.Write(m.Name);
            w.Write(m.Value);
        }

        if (version >= 2)
        {
            w.WriteArrayHeader(t.Episodes.Count);
            foreach (var e in t.Episodes)
            {
                w.WriteArrayHeader(8);
                w.Write(e.Agent);
                w.Write(e.Episode);
                w.Write(e.Task);
                // Version 4: nil for "the root text of this agent's tree" (see TreeColumns).
                if (version >= 4 && Context(ctx).Trees.RootText(e.Agent) is { } root && root == e.Prompt) w.WriteNil();
                else w.Write(e.Prompt);
                w.Write(e.Completion);
                w.Write(e.Reward);
                w.Write(e.Solved);
                w.Write(e.Compute);
            }
        }
    }

    public static TickRecord ReadTick(ref MessagePackReader r, int version, ChunkContext? ctx = null)
    {
        int n = Count(ref r);
        if (n < 9) throw new InvalidDataException($"tick record has {n} fields, expected at least 9");
        var t = new TickRecord { Tick = r.ReadInt64(), Keyframe = r.ReadBoolean() };

        int nc = Count(ref r);
        for (int i = 0; i < nc; i++)
        {
            int m = Count(ref r);
            if (m < 3) throw new InvalidDataException("entity record has fewer than 3 fields");
            var c = new EntityCreated(r.ReadInt32(), (EntityKind)r.ReadByte(), Str(ref r));
            Skip(ref r, m - 3);
            t.Created.Add(c);
        }

        t.Destroyed.AddRange(ReadInts(ref r, version));

        int nb = Count(ref r);
        for (int i = 0; i < nb; i++)
        {
            int m = Count(ref r);
            if (m < 3) throw new InvalidDataException("component block has fewer than 3 fields");
            int comp = r.ReadInt32();
            int[] ents = ReadInts(ref r, version);
            float[] vals;
            if (r.NextMessagePackType == MessagePackType.Binary)
            {
                vals = ReadColumn<float>(ref r, version);
            }
            else
            {
                // Schema version 1 stored values as a MessagePack array of float32.
                int nv = Count(ref r);
                vals = new float[nv];
                for (int k = 0; k < nv; k++) vals[k] = r.ReadSingle();
            }
            Skip(ref r, m - 3);
            if (ents.Length == 0 ? vals.Length != 0 : vals.Length % ents.Length != 0 || vals.Length / ents.Length > 4096)
                throw new InvalidDataException($"component block has {vals.Length} values for {ents.Length} entities");
            if (version >= 3) ctx?.DecodeV3(comp, ents, vals);
            else ctx?.Decode(comp, ents, vals);
            t.Components.Add(new ComponentBlock(comp, ents, vals));
        }

        int nr = Count(ref r);
        for (int i = 0; i < nr; i++)
        {
            int m = Count(ref r);
            if (m < 4) throw new InvalidDataException("reward record has fewer than 4 fields");
            t.Rewards.Add(new RewardRecord(r.ReadInt32(), r.ReadSingle(), (RewardKind)r.ReadByte(), r.ReadInt64()));
            Skip(ref r, m - 4);
        }

        if (version >= 4) Context(ctx).Trees.Read(ref r, t.TreeNodes);
        else ReadTreeRecords(ref r, t.TreeNodes);

        t.TreesCleared.AddRange(ReadInts(ref r, version));

        int nm = Count(ref r);
        for (int i = 0; i < nm; i++)
        {
            int m = Count(ref r);
            if (m < 2) throw new InvalidDataException("metric record has fewer than 2 fields");
            t.Metrics.Add(new MetricRecord(Str(ref r) ?? "", r.ReadDouble()));
            Skip(ref r, m - 2);
        }

        if (n >= 10) // v1 had no episodes
        {
            int ne = Count(ref r);
            for (int i = 0; i < ne; i++)
            {
                int m = Count(ref r);
                if (m < 8) throw new InvalidDataException("episode record has fewer than 8 fields");
                int agent = r.ReadInt32();
                long episode = r.ReadInt64();
                int task = r.ReadInt32();
                string? prompt = Str(ref r);
                if (prompt is null && version >= 4)
                    prompt = Context(ctx).Trees.RootText(agent) ?? throw new InvalidDataException($"episode {episode} takes its prompt from agent {agent}'s tree root, which this chunk does not hold");
                t.Episodes.Add(new EpisodeRecord(agent, episode, task, prompt ?? "", Str(ref r) ?? "", r.ReadSingle(), r.ReadBoolean(), r.ReadInt64()));
                Skip(ref r, m - 8);
            }
        }
        Skip(ref r, n - 10);
        return t;
    }

    /// <summary>Versions 1-3: one MessagePack array per tree record.</summary>
    private static void WriteTreeRecords(ref MessagePackWriter w, List<TreeNodeRecord> nodes, int version)
    {
        w.WriteArrayHeader(nodes.Count);
        // By reference: a search tick has about a thousand of these 48-byte records, and the list enumerator copied each.
        foreach (ref readonly var n in CollectionsMarshal.AsSpan(nodes))
        {
            w.WriteArrayHeader(version >= 2 ? 8 : 7);
            w.Write(n.Agent);
            w.Write(n.Node);
            w.Write(n.Parent);
            w.Write(n.Step);
            w.Write(n.Visits);
            w.Write(n.Value);
            w.Write(n.Reward);
            if (version >= 2) w.Write(n.Chosen);
        }
    }

    /// <summary>Versions 1-3: one MessagePack array per tree record.</summary>
    private static void ReadTreeRecords(ref MessagePackReader r, List<TreeNodeRecord> into)
    {
        int nt = Count(ref r);
        for (int i = 0; i < nt; i++)
        {
            int m = Count(ref r);
            if (m < 7) throw new InvalidDataException("tree node record has fewer than 7 fields");
            int agent = r.ReadInt32();
            long node = r.ReadInt64(), parent = r.ReadInt64();
            string? step = Str(ref r);
            int visits = r.ReadInt32();
            float value = r.ReadSingle(), reward = r.ReadSingle();
            bool chosen = m >= 8 && r.ReadBoolean(); // v1 had no chosen flag
            Skip(ref r, m - 8);
            into.Add(new TreeNodeRecord(agent, node, parent, step, visits, value, reward, chosen));
        }
    }

    private static ChunkContext Context(ChunkContext? ctx) =>
        ctx ?? throw new ArgumentException("schema version 4 is encoded against a chunk context");

    // ---- footer ----

    public static void WriteFooter(ref MessagePackWriter w, IReadOnlyList<ChunkInfo> chunks, IReadOnlyList<MetricRecord[]> metrics)
    {
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(chunks.Count);
        for (int i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            w.WriteArrayHeader(7);
            w.Write(c.Offset);
            w.Write(c.StoredLength);
            w.Write(c.RawLength);
            w.Write(c.FirstTick);
            w.Write(c.TickCount);
            w.Write(c.LastTick);
            w.WriteArrayHeader(metrics[i].Length);
            foreach (var m in metrics[i]) { w.WriteArrayHeader(2); w.Write(m.Name); w.Write(m.Value); }
        }
    }

    public static (List<ChunkInfo> Chunks, List<MetricRecord[]> Metrics) ReadFooter(ref MessagePackReader r)
    {
        int n = Count(ref r);
        if (n < 1) throw new InvalidDataException("empty footer");
        int nc = Count(ref r);
        var chunks = new List<ChunkInfo>(nc);
        var metrics = new List<MetricRecord[]>(nc);
        for (int i = 0; i < nc; i++)
        {
            int m = Count(ref r);
            if (m < 7) throw new InvalidDataException("footer entry has fewer than 7 fields");
            chunks.Add(new ChunkInfo(r.ReadInt64(), r.ReadInt32(), r.ReadInt32(), r.ReadInt64(), r.ReadInt32(), r.ReadInt64()));
            int nm = Count(ref r);
            var ms = new MetricRecord[nm];
            for (int k = 0; k < nm; k++)
            {
                int f = Count(ref r);
                if (f < 2) throw new InvalidDataException("metric record has fewer than 2 fields");
                ms[k] = new MetricRecord(Str(ref r) ?? "", r.ReadDouble());
                Skip(ref r, f - 2);
            }
            metrics.Add(ms);
            Skip(ref r, m - 7);
        }
        Skip(ref r, n - 1);
        return (chunks, metrics);
    }

    // ---- helpers ----

    private static void WriteInts(ref MessagePackWriter w, ReadOnlySpan<int> values, int version) =>
        WriteColumn(ref w, MemoryMarshal.AsBytes(values), version);

    /// <summary>
    /// Writes a column of 4-byte values as bin. From version 2 the bytes are stored planar (every value's byte 0,
    /// then every byte 1...): the high bytes of ids and the exponent bytes of floats then form long runs that LZ4
    /// compresses well. Version 1 stored them as they lie in memory.
    /// </summary>
    internal static void WriteColumn(ref MessagePackWriter w, ReadOnlySpan<byte> raw, int version)
    {
        if (version < 2 || raw.Length < 8) { w.Write(raw); return; }
        w.WriteBinHeader(raw.Length);
        var dst = w.GetSpan(raw.Length)[..raw.Length];
        Shuffle(raw, dst);
        w.Advance(raw.Length);
    }

    private static int[] ReadInts(ref MessagePackReader r, int version) => ReadColumn<int>(ref r, version);

    /// <summary>A column of 4-byte values, unshuffled straight into the result array.</summary>
    internal static T[] ReadColumn<T>(ref MessagePackReader r, int version) where T : unmanaged
    {
        var bytes = ReadBin(ref r);
        if (bytes.Length % 4 != 0) throw new InvalidDataException("column is not a whole number of 4-byte values");
        var result = new T[bytes.Length / 4];
        var dst = MemoryMarshal.AsBytes(result.AsSpan());
        if (version < 2 || bytes.Length < 8) bytes.CopyTo(dst);
        else Unshuffle(bytes, dst);
        return result;
    }

    /// <summary>
    /// Splits 4-byte values into four byte planes. Sixteen values at a time with SSSE3: one byte shuffle per vector
    /// groups each value's bytes by plane, and a 4x4 transpose of 32-bit lanes gathers 16 bytes of each plane.
    /// </summary>
    internal static unsafe void Shuffle(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int n = src.Length / 4;
        if (dst.Length < 4 * n) throw new ArgumentException("destination too small");
        fixed (byte* s = src, d = dst)
        {
            byte* d0 = d, d1 = d + n, d2 = d + 2 * n, d3 = d + 3 * n;
            int i = 0;
            if (Ssse3.IsSupported)
            {
                var mask = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
                for (; i + 16 <= n; i += 16)
                {
                    byte* p = s + 4 * i;
                    var a = Ssse3.Shuffle(Sse2.LoadVector128(p), mask).AsUInt32();
                    var b = Ssse3.Shuffle(Sse2.LoadVector128(p + 16), mask).AsUInt32();
                    var c = Ssse3.Shuffle(Sse2.LoadVector128(p + 32), mask).AsUInt32();
                    var e = Ssse3.Shuffle(Sse2.LoadVector128(p + 48), mask).AsUInt32();
                    var t0 = Sse2.UnpackLow(a, b).AsUInt64();
                    var t1 = Sse2.UnpackHigh(a, b).AsUInt64();
                    var t2 = Sse2.UnpackLow(c, e).AsUInt64();
                    var t3 = Sse2.UnpackHigh(c, e).AsUInt64();
                    Sse2.Store(d0 + i, Sse2.UnpackLow(t0, t2).AsByte());
                    Sse2.Store(d1 + i, Sse2.UnpackHigh(t0, t2).AsByte());
                    Sse2.Store(d2 + i, Sse2.UnpackLow(t1, t3).AsByte());
                    Sse2.Store(d3 + i, Sse2.UnpackHigh(t1, t3).AsByte());
                }
            }
            uint* v = (uint*)s;
            for (; i < n; i++)
            {
                uint x = v[i]; // little endian: byte k of the value is bits 8k..8k+7
                d0[i] = (byte)x;
                d1[i] = (byte)(x >> 8);
                d2[i] = (byte)(x >> 16);
                d3[i] = (byte)(x >> 24);
            }
        }
    }

    /// <summary>The inverse of <see cref="Shuffle"/> (the same shuffle and transpose, in reverse order).</summary>
    internal static unsafe void Unshuffle(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int n = src.Length / 4;
        if (dst.Length < 4 * n) throw new ArgumentException("destination too small");
        fixed (byte* s = src, d = dst)
        {
            byte* s0 = s, s1 = s + n, s2 = s + 2 * n, s3 = s + 3 * n;
            int i = 0;
            if (Ssse3.IsSupported)
            {
                var mask = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
                for (; i + 16 <= n; i += 16)
                {
                    var o0 = Sse2.LoadVector128(s0 + i).AsUInt32();
                    var o1 = Sse2.LoadVector128(s1 + i).AsUInt32();
                    var o2 = Sse2.LoadVector128(s2 + i).AsUInt32();
                    var o3 = Sse2.LoadVector128(s3 + i).AsUInt32();
                    var t0 = Sse2.UnpackLow(o0, o1).AsUInt64();
                    var t1 = Sse2.UnpackLow(o2, o3).AsUInt64();
                    var t2 = Sse2.UnpackHigh(o0, o1).AsUInt64();
                    var t3 = Sse2.UnpackHigh(o2, o3).AsUInt64();
                    byte* p = d + 4 * i;
                    Sse2.Store(p, Ssse3.Shuffle(Sse2.UnpackLow(t0, t1).AsByte(), mask));
                    Sse2.Store(p + 16, Ssse3.Shuffle(Sse2.UnpackHigh(t0, t1).AsByte(), mask));
                    Sse2.Store(p + 32, Ssse3.Shuffle(Sse2.UnpackLow(t2, t3).AsByte(), mask));
                    Sse2.Store(p + 48, Ssse3.Shuffle(Sse2.UnpackHigh(t2, t3).AsByte(), mask));
                }
            }
            uint* v = (uint*)d;
            for (; i < n; i++) v[i] = s0[i] | (uint)s1[i] << 8 | (uint)s2[i] << 16 | (uint)s3[i] << 24;
        }
    }

    /// <summary>A bin field, bounded.</summary>
    internal static ReadOnlySpan<byte> ReadBin(ref MessagePackReader r)
    {
        var seq = r.ReadBytes() ?? throw new InvalidDataException("expected binary data, found nil");
        if (seq.Length > ReplayFormat.MaxRawLength) throw new InvalidDataException("binary field exceeds the bound");
        return seq.IsSingleSegment ? seq.FirstSpan : seq.ToArray();
    }

    /// <summary>An array header, bounded: MessagePackReader already refuses counts above the bytes left.</summary>
    private static int Count(ref MessagePackReader r)
    {
        int n = r.ReadArrayHeader();
        if (n > ReplayFormat.MaxListLength) throw new InvalidDataException($"list of {n} items exceeds the bound of {ReplayFormat.MaxListLength}");
        return n;
    }

    private static string? Str(ref MessagePackReader r)
    {
        if (r.TryReadNil()) return null;
        var s = r.ReadString();
        if (s is not null && s.Length > ReplayFormat.MaxStringBytes) throw new InvalidDataException("string exceeds the bound");
        return s;
    }

    private static void Skip(ref MessagePackReader r, int count)
    {
        for (int i = 0; i < count; i++) r.Skip();
    }
}
