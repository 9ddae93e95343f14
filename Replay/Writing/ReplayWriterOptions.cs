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

    /// <summary>Encode, compress and write on a background thread so ticks never wait on the encoder, LZ4 or the disk.</summary>
    public bool Background { get; init; } = true;

    /// <summary>
    /// With <see cref="Background"/>: encode each tick on the caller's thread, and leave only the compression and
    /// writing of whole chunks to the background thread. Cheaper when the simulation keeps every core busy (its
    /// parallel queries then do not share a core with the encoder); off by default. The output is the same.
    /// </summary>
    public bool EncodeOnCaller { get; init; }

    /// <summary>
    /// Run the background thread in Linux's idle scheduling class (nice 19 where that is refused): it then runs only on
    /// cores the simulation leaves idle and gives a core back at once when a simulation thread wakes up. That does not
    /// make its work free where the cores are shared with other machines (on our 2-core VM an idle-class busy loop
    /// still slowed the simulation by about 15 %; see docs/replay-format.md). When it falls behind,
    /// <see cref="ReplayWriter.Append"/> blocks (see <see cref="QueueCapacity"/>), which frees a core for it, so nothing
    /// is lost. On by default; elsewhere than Linux it has no effect.
    /// </summary>
    public bool IdleWriter { get; init; } = true;

    /// <summary>About how many ticks may wait for the background writer before <see cref="ReplayWriter.Append"/> blocks.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>
    /// Schema version to write. Only <see cref="ReplayFormat.CurrentVersion"/> is for real use; older versions exist so
    /// the schema-evolution fixture can be regenerated (see docs/replay-format.md).
    /// </summary>
    public int SchemaVersion { get; init; } = ReplayFormat.CurrentVersion;
}
