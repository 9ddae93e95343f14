using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sim.Engine;

/// <summary>
/// Hashes that are the same in every process and on every machine. <see cref="string.GetHashCode()"/> is
/// randomised per process, so it must never feed seeds, stream keys or state hashes.
/// </summary>
public static class StableHash
{
    /// <summary>The SplitMix64 finaliser: a fast, well-mixed bijection on 64-bit values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Combines a running hash with one more value; order matters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong h, ulong value) => Mix(h + 0x9E3779B97F4A7C15UL + value);

    /// <summary>Hashes a string's UTF-16 code units.</summary>
    public static ulong Of(string s) => OfBytes(MemoryMarshal.AsBytes(s.AsSpan()));

    /// <summary>Hashes raw bytes, 8 at a time.</summary>
    public static ulong OfBytes(ReadOnlySpan<byte> bytes)
    {
        ulong h = 0x84222325CBF29CE4UL ^ (ulong)bytes.Length;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
            h = Combine(h, MemoryMarshal.Read<ulong>(bytes[i..]));
        ulong tail = 0;
        for (int k = 0; i < bytes.Length; i++, k += 8)
            tail |= (ulong)bytes[i] << k;
        return Combine(h, tail);
    }
}
