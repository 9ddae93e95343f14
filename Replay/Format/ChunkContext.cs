using System.Runtime.InteropServices;

namespace Sim.Replay;

/// <summary>
/// Per-chunk encoding state (schema version 2): each component block's float bits are XORed with the previous block of
/// the same component in the chunk wherever the same entity sits at the same row. Values that change a little from
/// tick to tick (positions, values, visit counts) then share their sign, exponent and high mantissa bits with the
/// last tick, which become zero bytes that LZ4 removes. Row matching needs no lookups, and rows that moved (after a
/// destroy) are simply stored as they are. A chunk is always decoded from its first tick, so the reader rebuilds the
/// same state; a new chunk starts with an empty context.
/// </summary>
internal sealed class ChunkContext
{
    private readonly Dictionary<int, (int[] Entities, float[] Values)> _last = new();

    /// <summary>The XOR-delta form of <paramref name="block"/>'s values; remembers the block's plain values.</summary>
    public float[] Encode(ComponentBlock block)
    {
        var values = block.Values;
        float[] encoded = values;
        if (_last.TryGetValue(block.Component, out var prev) && block.Entities.Length > 0)
        {
            encoded = (float[])values.Clone();
            Xor(block.Entities, encoded, prev.Entities, prev.Values);
        }
        _last[block.Component] = (block.Entities, values);
        return encoded;
    }

    /// <summary>
    /// Writes the XOR-delta form of <paramref name="block"/>'s values straight into <paramref name="dst"/>, byte-planar
    /// (the same bytes as shuffling <see cref="Encode"/>'s result, without the intermediate copy); remembers the block.
    /// <paramref name="dst"/> must hold the values' bytes; the values must be at least 8 bytes.
    /// </summary>
    public void EncodePlanar(ComponentBlock block, Span<byte> dst)
    {
        var values = block.Values;
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values.AsSpan());
        int n = bits.Length;
        int matchRows = 0, stride = 0;
        ReadOnlySpan<uint> prevBits = default;
        int[]? prevEntities = null;
        if (_last.TryGetValue(block.Component, out var prev) && block.Entities.Length > 0)
        {
            stride = values.Length / block.Entities.Length;
            if (prev.Entities.Length != 0 && prev.Values.Length / prev.Entities.Length == stride)
            {
                matchRows = Math.Min(block.Entities.Length, prev.Entities.Length);
                prevBits = MemoryMarshal.Cast<float, uint>(prev.Values.AsSpan());
                prevEntities = prev.Entities;
            }
        }
        _last[block.Component] = (block.Entities, values);
        var d0 = dst[..n]; var d1 = dst.Slice(n, n); var d2 = dst.Slice(2 * n, n); var d3 = dst.Slice(3 * n, n);
        var ents = block.Entities;
        int k = 0;
        for (int row = 0; row < matchRows; row++)
        {
            bool same = ents[row] == prevEntities![row];
            for (int end = k + stride; k < end; k++)
            {
                uint x = same ? bits[k] ^ prevBits[k] : bits[k];
                d0[k] = (byte)x; d1[k] = (byte)(x >> 8); d2[k] = (byte)(x >> 16); d3[k] = (byte)(x >> 24);
            }
        }
        for (; k < n; k++)
        {
            uint x = bits[k];
            d0[k] = (byte)x; d1[k] = (byte)(x >> 8); d2[k] = (byte)(x >> 16); d3[k] = (byte)(x >> 24);
        }
    }

    /// <summary>Turns decoded XOR-delta values back into plain values in place.</summary>
    public void Decode(int component, int[] entities, float[] values)
    {
        if (_last.TryGetValue(component, out var prev) && entities.Length > 0) Xor(entities, values, prev.Entities, prev.Values);
        _last[component] = (entities, values);
    }

    private static void Xor(int[] entities, float[] values, int[] prevEntities, float[] prevValues)
    {
        int stride = values.Length / entities.Length;
        if (prevEntities.Length == 0 || prevValues.Length / prevEntities.Length != stride) return;
        var bits = MemoryMarshal.Cast<float, uint>(values.AsSpan());
        var prevBits = MemoryMarshal.Cast<float, uint>(prevValues.AsSpan());
        int rows = Math.Min(entities.Length, prevEntities.Length);
        for (int i = 0; i < rows; i++)
        {
            if (entities[i] != prevEntities[i]) continue;
            for (int k = i * stride, end = k + stride; k < end; k++) bits[k] ^= prevBits[k];
        }
    }
}
