namespace Sim.Replay;

/// <summary>
/// Constants of the replay file layout. See docs/replay-format.md for the byte-level description.
/// <code>
/// file    := preamble frame(Header) frame(Meta)? frame(Chunk)* frame(Footer) trailer
/// preamble:= "SIMRPLY\x1A" u32 schemaVersion u32 reserved          (16 bytes, little endian)
/// frame   := 40-byte frame header, then storedLength payload bytes
/// trailer := u64 footerFrameOffset "SIMRIDX!"                       (16 bytes)
/// </code>
/// </summary>
public static class ReplayFormat
{
    /// <summary>The schema version this library writes.</summary>
    public const int CurrentVersion = 5;

    /// <summary>The oldest schema version this library reads.</summary>
    public const int OldestReadableVersion = 1;

    /// <summary>First eight bytes of every replay.</summary>
    public static ReadOnlySpan<byte> Magic => "SIMRPLY\x1A"u8;

    /// <summary>Last eight bytes of a replay that was closed cleanly.</summary>
    public static ReadOnlySpan<byte> TrailerMagic => "SIMRIDX!"u8;

    /// <summary>Bytes before the first frame.</summary>
    public const int PreambleSize = 16;

    /// <summary>Bytes of the trailer after the footer frame.</summary>
    public const int TrailerSize = 16;

    /// <summary>Bytes of a frame header.</summary>
    public const int FrameHeaderSize = 40;

    /// <summary>First byte of every frame header: lets a reader tell a frame from garbage before trusting its lengths.</summary>
    public const byte FrameMarker = 0xF7;

    /// <summary>Upper bound on a frame's stored payload. Lengths above it are rejected before any allocation.</summary>
    public const int MaxStoredLength = 64 << 20;

    /// <summary>Upper bound on a frame's decompressed payload.</summary>
    public const int MaxRawLength = 256 << 20;

    /// <summary>Raw bytes per block of an <see cref="FrameCodec.Lz4Blocks"/> payload: about 30 us of LZ4 each.</summary>
    public const int Lz4BlockSize = 16 << 10;

    /// <summary>Upper bound on ticks in one chunk.</summary>
    public const int MaxTicksPerChunk = 1 << 20;

    /// <summary>Upper bound on any one list inside a record (entities in a block, nodes in a tick...).</summary>
    public const int MaxListLength = 1 << 24;

    /// <summary>Upper bound on any one string (step text, config).</summary>
    public const int MaxStringBytes = 16 << 20;
}
