using Sim.Engine;

namespace Sim.Systems.Demo;

/// <summary>Counters the demo keeps as a world resource.</summary>
public sealed class DemoMetrics : IStateHashable
{
    /// <summary>Particles created so far.</summary>
    public long Spawned { get; set; }

    /// <summary>Particles expired so far.</summary>
    public long Expired { get; set; }

    /// <summary>Particles alive after the last tick.</summary>
    public int Alive { get; set; }

    /// <summary>Ticks run.</summary>
    public long Ticks { get; set; }

    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher)
    {
        hasher.Add(Spawned);
        hasher.Add(Expired);
    }
}
