namespace Sim.Replay;

/// <summary>What a frame holds.</summary>
public enum FrameKind : byte
{
    /// <summary>The <see cref="ReplayHeader"/>; always the first frame.</summary>
    Header = 1,

    /// <summary>Optional <see cref="ReplayMeta"/> (timestamps, host): left out by default so replays stay byte-identical.</summary>
    Meta = 2,

    /// <summary>A chunk of ticks; its first tick is a keyframe.</summary>
    Chunk = 3,

    /// <summary>The index of chunk offsets by tick range; written when the file is closed.</summary>
    Footer = 4,
}
