namespace Sim.Replay;

/// <summary>How a <see cref="ReplayWriter"/> cuts, compresses and writes chunks.</summary>
public sealed record ReplayWriterOptions
{
    /// <summary>Most ticks per chunk. Every chunk starts with a keyframe, so this is also the keyframe interval.</summary>
    public int ChunkTicks { get; init; } = 60;

    /// <summary>A chunk is also closed once its ticks reach about this many bytes before compression.</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    /// <summary>Compress chunks with LZ4 when it saves at least an eighth of the bytes.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>Write a <see cref="ReplayMeta"/> frame (time, host). Off by default: it makes replays differ run to run.</summary>
    public bool IncludeMeta { get; init; }

    /// <summary>
    /// Compress and write finished chunks on a background thread, so ticks never wait on LZ4 or the disk. Ticks are
    /// always encoded into the chunk on the caller's thread.
    /// </summary>
    public bool Background { get; init; } = true;

    /// <summary>Ticks (in finished chunks) that may wait for the background writer before <see cref="ReplayWriter.Append"/> blocks.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>
    /// Schema version to write. Only <see cref="ReplayFormat.CurrentVersion"/> is for real use; older versions exist so
    /// the schema-evolution fixture can be regenerated (see docs/replay-format.md).
    /// </summary>
    public int SchemaVersion { get; init; } = ReplayFormat.CurrentVersion;
}
