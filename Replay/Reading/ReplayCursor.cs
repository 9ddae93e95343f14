namespace Sim.Replay;

/// <summary>
/// Moves through a replay by tick: seeking loads only the chunk holding the tick (through the index) and replays
/// it from its keyframe; stepping forward inside a chunk applies only the new deltas.
/// </summary>
public sealed class ReplayCursor
{
    private int _chunk = -1;
    private int _index = -1; // index of the last applied tick inside _chunk

    /// <summary>Creates a cursor before the first tick of <paramref name="reader"/>.</summary>
    public ReplayCursor(ReplayReader reader)
    {
        Reader = reader;
        State = new ReplayState(reader.Header);
    }

    /// <summary>The replay.</summary>
    public ReplayReader Reader { get; }

    /// <summary>The state at the current tick.</summary>
    public ReplayState State { get; private set; }

    /// <summary>The current tick (the last recorded tick at or before the one sought).</summary>
    public long Tick => State.Tick;

    /// <summary>Moves to the last recorded tick at or before <paramref name="tick"/> (clamped to the replay's range).</summary>
    public ReplayState Seek(long tick)
    {
        if (Reader.Chunks.Count == 0) return State;
        tick = Math.Clamp(tick, Reader.FirstTick, Reader.LastTick);
        int c = Reader.FindChunk(tick);
        var ticks = Reader.ReadChunk(c);
        bool forward = c == _chunk && _index >= 0 && ticks[_index].Tick <= tick;
        if (!forward)
        {
            State = new ReplayState(Reader.Header);
            _chunk = c;
            _index = -1;
        }
        while (_index + 1 < ticks.Count && ticks[_index + 1].Tick <= tick) State.Apply(ticks[++_index]);
        return State;
    }
}
