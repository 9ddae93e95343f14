using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Sim.Replay;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of frames. Uses the SSE4.2 instruction where present (several GB/s) and a
/// table otherwise; both give the same value. Hand-written to keep Sim.Replay free of extra packages.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFF, data);

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong c = crc;
            var longs = MemoryMarshal.Cast<byte, ulong>(data);
            foreach (ulong v in longs) c = Sse42.X64.Crc32(c, v);
            crc = (uint)c;
            data = data[(longs.Length * 8)..];
            foreach (byte b in data) crc = Sse42.Crc32(crc, b);
            return crc;
        }
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    internal static uint ComputeWithTable(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            t[i] = c;
        }
        return t;
    }
}
