namespace Sim.Replay;

/// <summary>Where a chunk lies and which ticks it holds: one entry of the footer index.</summary>
/// <param name="Offset">File offset of the chunk's frame header.</param>
/// <param name="StoredLength">Payload bytes on disk.</param>
/// <param name="RawLength">Payload bytes after decompression.</param>
/// <param name="FirstTick">First tick (a keyframe).</param>
/// <param name="TickCount">Ticks in the chunk.</param>
/// <param name="LastTick">Last tick in the chunk.</param>
public readonly record struct ChunkInfo(long Offset, int StoredLength, int RawLength, long FirstTick, int TickCount, long LastTick);
