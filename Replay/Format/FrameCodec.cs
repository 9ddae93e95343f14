namespace Sim.Replay;

/// <summary>How a frame's payload is stored.</summary>
public enum FrameCodec : byte
{
    /// <summary>Raw MessagePack.</summary>
    None = 0,

    /// <summary>MessagePack compressed as one LZ4 block.</summary>
    Lz4 = 1,
}
