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
