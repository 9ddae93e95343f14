namespace Sim.Replay;

/// <summary>What <see cref="ReplayReader.Verify"/> checked.</summary>
/// <param name="Frames">Frames whose checksums passed.</param>
/// <param name="Chunks">Chunks decoded.</param>
/// <param name="Ticks">Ticks in them.</param>
/// <param name="Bytes">File size.</param>
public readonly record struct VerifyResult(int Frames, int Chunks, long Ticks, long Bytes);
