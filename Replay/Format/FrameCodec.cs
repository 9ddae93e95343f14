namespace Sim.Replay;

/// <summary>How a frame's payload is stored.</summary>
public enum FrameCodec : byte
{
    /// <summary>Raw MessagePack.</summary>
    None = 0,

    /// <summary>MessagePack compressed as one LZ4 block (schema versions 1-4).</summary>
    Lz4 = 1,

    /// <summary>MessagePack compressed as linked LZ4 blocks of 16 KiB (schema version 5; see <see cref="Lz4Blocks"/>).</summary>
    Lz4Blocks = 2,
}
