using System.Numerics;
using System.Runtime.InteropServices;

namespace Sim.Replay;

/// <summary>
/// Per-chunk encoding state of component blocks.
/// <para>
/// Schema version 3 (<see cref="EncodeV3"/>, <see cref="DecodeV3"/>): the id column is XORed with the previous block's
/// ids of the same component, row for row, so ids that stay on their row become zero bytes (ids are effectively sent
/// only where the membership or order changed). Values are predicted from the last two blocks, in the integer space of
/// their bits: where the same entity sat on the same row in both, the prediction is the linear extrapolation
/// 2*b1 - b0 (exact for anything moving at a steady rate within one binade, such as a position); where only the last
/// block matches, it is b1; otherwise nothing is predicted. The residual is stored zigzagged, so small errors of either
/// sign become small numbers whose high bytes are zero. Wrapping integer arithmetic makes this lossless for any bits.
/// </para>
/// <para>
/// Schema version 2 (<see cref="Encode"/>, <see cref="Decode"/>): each component block's float bits are XORed with the previous block of
/// the same component in the chunk wherever the same entity sits at the same row. Values that change a little from
/// tick to tick (positions, values, visit counts) then share their sign, exponent and high mantissa bits with the
/// last tick, which become zero bytes that LZ4 removes. Row matching needs no lookups, and rows that moved (after a
/// destroy) are simply stored as they are. A chunk is always decoded from its first tick, so the reader rebuilds the
/// same state; a new chunk starts with an empty context (<see cref="Reset"/>).
/// </para>
/// <para>
/// The writer's side keeps its own copy of the last block of each component (ids and value bits, in buffers reused
/// across ticks and chunks), so the records it encodes can be recycled as soon as they are written.
/// </para>
/// </summary>
internal sealed class ChunkContext
{
    // Reader side: the last decoded block of each component (the decoded arrays themselves).
    private readonly Dictionary<int, (int[] Entities, float[] Values)> _last = new();

    // Writer side: a copy of the last encoded block of each component; Rows < 0 means "none in this chunk".
    private sealed class Last
    {
        public int[] Entities = [];
        public uint[] Bits = [];
        public int Rows = -1, Count;
    }

    private readonly Dictionary<int, Last> _enc = new();
    private uint[] _scratch = new uint[1024];

    // Version 3: the last two blocks of each component, on both sides.
    private readonly Dictionary<int, (Last B1, Last B0)> _enc3 = new();
    private readonly Dictionary<int, (int[] E1, float[] V1, int[] E0, float[] V0)> _last3 = new();
    private int[] _idScratch = new int[1024];

    /// <summary>Version 4's tree-record columns and the chunk's root texts (see <see cref="TreeColumns"/>).</summary>
    public TreeColumns Trees { get; } = new();

    /// <summary>Forgets every block: the next chunk starts from nothing. Buffers are kept for reuse.</summary>
    public void Reset()
    {
        Trees.Reset();
        _last.Clear();
        _last3.Clear();
        foreach (var l in _enc.Values) l.Rows = -1;
        foreach (var (b1, b0) in _enc3.Values) { b1.Rows = -1; b0.Rows = -1; }
    }

    /// <summary>
    /// Version 3: the encoded ids and values of <paramref name="block"/> (valid until the next call); remembers the
    /// block's plain ids and values.
    /// </summary>
    public void EncodeV3(ComponentBlock block, out ReadOnlySpan<int> encodedIds, out ReadOnlySpan<uint> encodedValues)
    {
        var ents = block.EntitySpan;
        var bits = MemoryMarshal.Cast<float, uint>(block.ValueSpan);
        int rows = ents.Length, n = bits.Length;
        if (_idScratch.Length < rows) _idScratch = new int[Math.Max(rows, _idScratch.Length * 2)];
        if (_scratch.Length < n) _scratch = new uint[Math.Max(n, _scratch.Length * 2)];
        var ids = _idScratch.AsSpan(0, rows);
        var vals = _scratch.AsSpan(0, n);
        ents.CopyTo(ids);
        bits.CopyTo(vals);
        if (!_enc3.TryGetValue(block.Component, out var prev)) _enc3[block.Component] = prev = (new Last(), new Last());
        var (b1, b0) = prev;
        if (b1.Rows >= 0)
        {
            var e1 = b1.Entities.AsSpan(0, b1.Rows);
            XorIds(ids, e1);
            if (rows > 0)
            {
                int stride = n / rows;
                bool use1 = b1.Rows > 0 && b1.Count == b1.Rows * stride;
                bool use0 = use1 && b0.Rows > 0 && b0.Count == b0.Rows * stride;
                if (use1)
                    Predict(ents, e1, b1.Bits.AsSpan(0, b1.Count), use0 ? b0.Entities.AsSpan(0, b0.Rows) : default,
                        use0 ? b0.Bits.AsSpan(0, b0.Count) : default, stride, vals, encode: true);
            }
        }
        // The older block's buffers take the new block; the newer becomes the older.
        if (b0.Entities.Length < rows) b0.Entities = new int[Math.Max(rows, b0.Entities.Length * 2)];
        if (b0.Bits.Length < n) b0.Bits = new uint[Math.Max(n, b0.Bits.Length * 2)];
        ents.CopyTo(b0.Entities);
        bits.CopyTo(b0.Bits);
        b0.Rows = rows;
        b0.Count = n;
        _enc3[block.Component] = (b0, b1);
        encodedIds = ids;
        encodedValues = vals;
    }

    /// <summary>Version 3: turns decoded ids and values back into plain ones in place (the inverse of <see cref="EncodeV3"/>).</summary>
    public void DecodeV3(int component, int[] entities, float[] values)
    {
        if (_last3.TryGetValue(component, out var prev) && prev.E1 is not null)
        {
            XorIds(entities, prev.E1);
            int rows = entities.Length;
            if (rows > 0)
            {
                int stride = values.Length / rows;
                bool use1 = prev.E1.Length > 0 && prev.V1.Length == prev.E1.Length * stride;
                bool use0 = use1 && prev.E0 is not null && prev.E0.Length > 0 && prev.V0.Length == prev.E0.Length * stride;
                if (use1)
                    Predict(entities, prev.E1, MemoryMarshal.Cast<float, uint>(prev.V1.AsSpan()), use0 ? prev.E0 : default,
                        use0 ? MemoryMarshal.Cast<float, uint>(prev.V0.AsSpan()) : default, stride,
                        MemoryMarshal.Cast<float, uint>(values.AsSpan()), encode: false);
            }
            _last3[component] = (entities, values, prev.E1, prev.V1);
        }
        else _last3[component] = (entities, values, null!, null!);
    }

    /// <summary>ids[i] ^= prev[i] over the rows both have.</summary>
    private static void XorIds(Span<int> ids, ReadOnlySpan<int> prev)
    {
        int n = Math.Min(ids.Length, prev.Length);
        Xor(MemoryMarshal.Cast<int, uint>(ids[..n]), MemoryMarshal.Cast<int, uint>(prev[..n]));
    }

    /// <summary>
    /// Applies (encode) or removes (decode) the version-3 prediction on <paramref name="data"/> in place.
    /// <paramref name="ents"/> are the block's plain ids; <paramref name="e1"/>/<paramref name="v1"/> the last block,
    /// <paramref name="e0"/>/<paramref name="v0"/> the one before (empty when absent). Rows are grouped into runs with
    /// one predictor each (vectorised common-prefix searches), and each run is a vector loop.
    /// </summary>
    internal static void Predict(ReadOnlySpan<int> ents, ReadOnlySpan<int> e1, ReadOnlySpan<uint> v1, ReadOnlySpan<int> e0,
        ReadOnlySpan<uint> v0, int stride, Span<uint> data, bool encode)
    {
        int r1 = Math.Min(ents.Length, e1.Length), r2 = Math.Min(r1, e0.Length);
        int row = 0;
        while (row < r1)
        {
            int run = ents[row..r1].CommonPrefixLength(e1[row..r1]);
            if (run == 0) { row++; continue; } // the entity moved: stored as it is
            int end = row + run;
            while (row < end)
            {
                int lim = Math.Min(end, r2);
                int run2 = row < lim ? ents[row..lim].CommonPrefixLength(e0[row..lim]) : 0;
                if (run2 > 0)
                {
                    Second(data.Slice(row * stride, run2 * stride), v1.Slice(row * stride, run2 * stride), v0.Slice(row * stride, run2 * stride), encode);
                    row += run2;
                    continue;
                }
                int next = row + 1;
                while (next < end && !(next < r2 && ents[next] == e0[next])) next++;
                First(data.Slice(row * stride, (next - row) * stride), v1.Slice(row * stride, (next - row) * stride), encode);
                row = next;
            }
        }
    }

    private static void Second(Span<uint> data, ReadOnlySpan<uint> v1, ReadOnlySpan<uint> v0, bool encode)
    {
        var d = MemoryMarshal.Cast<uint, int>(data);
        var a = MemoryMarshal.Cast<uint, int>(v1);
        var b = MemoryMarshal.Cast<uint, int>(v0);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<int>.Count <= d.Length; i += Vector<int>.Count)
            {
                var va = new Vector<int>(a[i..]);
                var pred = va + va - new Vector<int>(b[i..]);
                var x = new Vector<int>(d[i..]);
                (encode ? ZigZag(x - pred) : UnZigZag(x) + pred).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++)
        {
            int pred = unchecked(2 * a[i] - b[i]);
            d[i] = encode ? ZigZag(unchecked(d[i] - pred)) : unchecked(UnZigZag(d[i]) + pred);
        }
    }

    private static void First(Span<uint> data, ReadOnlySpan<uint> v1, bool encode)
    {
        var d = MemoryMarshal.Cast<uint, int>(data);
        var a = MemoryMarshal.Cast<uint, int>(v1);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<int>.Count <= d.Length; i += Vector<int>.Count)
            {
                var pred = new Vector<int>(a[i..]);
                var x = new Vector<int>(d[i..]);
                (encode ? ZigZag(x - pred) : UnZigZag(x) + pred).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++) d[i] = encode ? ZigZag(unchecked(d[i] - a[i])) : unchecked(UnZigZag(d[i]) + a[i]);
    }

    private static int ZigZag(int r) => (r << 1) ^ (r >> 31);
    private static int UnZigZag(int z) => (int)((uint)z >> 1) ^ -(z & 1);
    private static Vector<int> ZigZag(Vector<int> r) => Vector.ShiftLeft(r, 1) ^ Vector.ShiftRightArithmetic(r, 31);
    private static Vector<int> UnZigZag(Vector<int> z) => Vector.ShiftRightLogical(z, 1) ^ (Vector<int>.Zero - (z & Vector<int>.One));

    /// <summary>
    /// The XOR-delta form of <paramref name="block"/>'s values (valid until the next call); remembers the block's plain
    /// values. The rows XORed are runs where the ids match the previous block's row for row, found with a vectorised
    /// common-prefix search, and XORed a vector at a time.
    /// </summary>
    public ReadOnlySpan<uint> Encode(ComponentBlock block)
    {
        var bits = MemoryMarshal.Cast<float, uint>(block.ValueSpan);
        var ents = block.EntitySpan;
        int n = bits.Length;
        if (_scratch.Length < n) _scratch = new uint[Math.Max(n, _scratch.Length * 2)];
        var outBits = _scratch.AsSpan(0, n);
        bits.CopyTo(outBits);

        if (!_enc.TryGetValue(block.Component, out var prev)) _enc[block.Component] = prev = new Last();
        if (prev.Rows > 0 && ents.Length > 0)
        {
            int stride = n / ents.Length;
            if (prev.Count / prev.Rows == stride)
            {
                int rows = Math.Min(ents.Length, prev.Rows);
                var prevEnts = prev.Entities.AsSpan(0, rows);
                var prevBits = prev.Bits.AsSpan(0, prev.Count);
                int row = 0;
                while (row < rows)
                {
                    int run = ents[row..rows].CommonPrefixLength(prevEnts[row..]);
                    if (run == 0) { row++; continue; }
                    Xor(outBits.Slice(row * stride, run * stride), prevBits.Slice(row * stride, run * stride));
                    row += run;
                }
            }
        }
        // Remember the plain block.
        if (prev.Entities.Length < ents.Length) prev.Entities = new int[Math.Max(ents.Length, prev.Entities.Length * 2)];
        if (prev.Bits.Length < n) prev.Bits = new uint[Math.Max(n, prev.Bits.Length * 2)];
        ents.CopyTo(prev.Entities);
        bits.CopyTo(prev.Bits);
        prev.Rows = ents.Length;
        prev.Count = n;
        return outBits;
    }

    /// <summary>Turns decoded XOR-delta values back into plain values in place.</summary>
    public void Decode(int component, int[] entities, float[] values)
    {
        if (_last.TryGetValue(component, out var prev) && entities.Length > 0 && prev.Entities.Length != 0)
        {
            int stride = values.Length / entities.Length;
            if (prev.Values.Length / prev.Entities.Length == stride)
            {
                var bits = MemoryMarshal.Cast<float, uint>(values.AsSpan());
                var prevBits = MemoryMarshal.Cast<float, uint>(prev.Values.AsSpan());
                int rows = Math.Min(entities.Length, prev.Entities.Length);
                var ents = entities.AsSpan(0, rows);
                var prevEnts = prev.Entities.AsSpan(0, rows);
                int row = 0;
                while (row < rows)
                {
                    int run = ents[row..].CommonPrefixLength(prevEnts[row..]);
                    if (run == 0) { row++; continue; }
                    Xor(bits.Slice(row * stride, run * stride), prevBits.Slice(row * stride, run * stride));
                    row += run;
                }
            }
        }
        _last[component] = (entities, values);
    }

    /// <summary><paramref name="a"/> ^= <paramref name="b"/>, a vector at a time.</summary>
    private static void Xor(Span<uint> a, ReadOnlySpan<uint> b)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<uint, Vector<uint>>(a);
            var vb = MemoryMarshal.Cast<uint, Vector<uint>>(b[..a.Length]);
            for (int k = 0; k < va.Length; k++) va[k] ^= vb[k];
            i = va.Length * Vector<uint>.Count;
        }
        for (; i < a.Length; i++) a[i] ^= b[i];
    }
}
