using System.Buffers.Binary;

namespace Sim.Replay;

/// <summary>
/// The 40-byte header in front of every frame:
/// <c>u8 marker, u8 kind, u8 codec, u8 reserved, u32 storedLength, u32 rawLength, i64 firstTick, i64 lastTick,
/// u32 tickCount, u32 payloadCrc, u32 headerCrc</c> (little endian). The header has its own CRC so that a flipped bit in a length is
/// caught before the length is trusted; the payload CRC covers the stored bytes.
/// </summary>
internal readonly record struct FrameHeader(
    FrameKind Kind, FrameCodec Codec, int StoredLength, int RawLength, long FirstTick, long LastTick, int TickCount, uint PayloadCrc)
{
    public void Write(Span<byte> dst)
    {
        dst[0] = ReplayFormat.FrameMarker;
        dst[1] = (byte)Kind;
        dst[2] = (byte)Codec;
        dst[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(dst[4..], StoredLength);
        BinaryPrimitives.WriteInt32LittleEndian(dst[8..], RawLength);
        BinaryPrimitives.WriteInt64LittleEndian(dst[12..], FirstTick);
        BinaryPrimitives.WriteInt64LittleEndian(dst[20..], LastTick);
        BinaryPrimitives.WriteInt32LittleEndian(dst[28..], TickCount);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[32..], PayloadCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[36..], Crc32C.Compute(dst[..36]));
    }

    /// <summary>Parses and checks a header read at <paramref name="offset"/>; throws <see cref="ReplayFormatException"/> on any inconsistency.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> src, long offset)
    {
        if (src[0] != ReplayFormat.FrameMarker)
            throw new ReplayFormatException(offset, $"expected a frame marker 0x{ReplayFormat.FrameMarker:X2}, found 0x{src[0]:X2}");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(src[36..]);
        if (crc != Crc32C.Compute(src[..36]))
            throw new ReplayFormatException(offset, "frame header checksum mismatch (corrupt frame header)");
        var kind = (FrameKind)src[1];
        var codec = (FrameCodec)src[2];
        int stored = BinaryPrimitives.ReadInt32LittleEndian(src[4..]);
        int raw = BinaryPrimitives.ReadInt32LittleEndian(src[8..]);
        long first = BinaryPrimitives.ReadInt64LittleEndian(src[12..]);
        long last = BinaryPrimitives.ReadInt64LittleEndian(src[20..]);
        int ticks = BinaryPrimitives.ReadInt32LittleEndian(src[28..]);
        if (kind is < FrameKind.Header or > FrameKind.Footer) throw new ReplayFormatException(offset, $"unknown frame kind {(byte)kind}");
        if (codec is not (FrameCodec.None or FrameCodec.Lz4 or FrameCodec.Lz4Blocks)) throw new ReplayFormatException(offset, $"unknown frame codec {(byte)codec}");
        if (stored < 0 || stored > ReplayFormat.MaxStoredLength)
            throw new ReplayFormatException(offset, $"frame length {stored} is outside 0..{ReplayFormat.MaxStoredLength}");
        if (raw < 0 || raw > ReplayFormat.MaxRawLength)
            throw new ReplayFormatException(offset, $"frame raw length {raw} is outside 0..{ReplayFormat.MaxRawLength}");
        if (codec == FrameCodec.None && raw != stored)
            throw new ReplayFormatException(offset, "uncompressed frame whose raw and stored lengths differ");
        // LZ4 cannot expand data more than ~255x; a larger claim is corruption, and refusing it bounds the allocation.
        if (codec != FrameCodec.None && (long)raw > 255L * stored + 64)
            throw new ReplayFormatException(offset, $"frame claims {raw} bytes from {stored} compressed bytes");
        if (ticks < 0 || ticks > ReplayFormat.MaxTicksPerChunk)
            throw new ReplayFormatException(offset, $"frame tick count {ticks} is out of range");
        if (ticks > 0 && last < first) throw new ReplayFormatException(offset, $"frame tick range {first}..{last} is reversed");
        return new FrameHeader(kind, codec, stored, raw, first, last, ticks, BinaryPrimitives.ReadUInt32LittleEndian(src[32..]));
    }
}
