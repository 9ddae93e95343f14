using System.Text.Json;
using Sim.Engine;
using Sim.Replay;
using Sim.Systems.Recording;

namespace Sim.Systems.Demo;

/// <summary>How <c>sim demo --out FILE</c> records its particles: their creation, destruction and positions, and the population metrics.</summary>
public static class DemoRecording
{
    /// <summary>The replay header of a demo run.</summary>
    public static ReplayHeader Header(ulong seed, DemoConfig config, long ticks, string codeVersion) => new(
        ReplayFormat.CurrentVersion, seed, codeVersion, "demo",
        JsonSerializer.Serialize(new
        {
            entities = config.Entities, world_size = config.WorldSize, max_lifetime = config.MaxLifetime, ticks,
        }),
        [new ComponentSchema(0, "position", ["x", "y"])],
        ChunkTicks: 0);

    /// <summary>Adds a <see cref="RecordSystem"/> writing to <paramref name="writer"/> to the demo <paramref name="pipeline"/>.</summary>
    public static RecordSystem AddTo(Pipeline pipeline, ReplayWriter writer)
    {
        var recorder = new RecordSystem(writer)
            .TrackEntities(new QueryDescription().WithAll<Position>(), EntityKind.Particle)
            .TrackRaw<Position>("position", ["x", "y"]) // Position is exactly (X, Y) as floats: one copy per chunk
            .TrackMetrics(world =>
            {
                var m = world.Resources.Get<DemoMetrics>();
                return [new MetricRecord("alive", world.Size), new MetricRecord("spawned", m.Spawned), new MetricRecord("expired", m.Expired)];
            });
        pipeline.Add(Stages.Record, recorder);
        return recorder;
    }
}
