namespace Sim.Engine;

/// <summary>The world's clock: the tick number, advanced once per <see cref="Pipeline.Tick"/>.</summary>
public sealed class Clock : IStateHashable
{
    /// <summary>Ticks completed so far; the tick being run while systems update.</summary>
    public long Tick { get; internal set; }

    /// <summary>Simulated seconds per tick, for systems that integrate motion. Reasoning systems ignore it.</summary>
    public float DeltaTime { get; set; } = 1f / 60f;

    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher) => hasher.Add(Tick);
}
