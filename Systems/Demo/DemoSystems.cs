using Sim.Engine;

namespace Sim.Systems.Demo;

/// <summary>Builds the demo pipeline: spawn, move (parallel), bounce, age (deferred destroy), metrics.</summary>
public static class DemoSystems
{
    private static readonly QueryDescription Moving = new QueryDescription().WithAll<Position, Velocity>();
    private static readonly QueryDescription Aging = new QueryDescription().WithAll<Lifetime>();

    /// <summary>Creates a pipeline over <paramref name="world"/> running the demo.</summary>
    public static Pipeline Build(World world, DemoConfig config)
    {
        world.Resources.Set(config);
        world.Resources.Set(new DemoMetrics());
        return Stages.NewPipeline(world)
            .Add(Stages.Spawn, new SpawnSystem())
            .Add(Stages.SearchSelect, new MoveSystem())
            .Add(Stages.SearchSelect, new BounceSystem())
            .Add(Stages.Episodes, new AgeSystem())
            .Add(Stages.Metrics, new MetricsSystem());
    }

    /// <summary>Tops the population up to <see cref="DemoConfig.Entities"/>, drawing from a per-tick stream.</summary>
    private sealed class SpawnSystem : ISystem
    {
        public void Update(in TickContext tick)
        {
            var world = tick.World;
            var config = world.Resources.Get<DemoConfig>();
            int missing = config.Entities - world.CountEntities(Moving);
            var rng = world.Random.Stream("demo.spawn", (ulong)tick.Tick);
            for (int i = 0; i < missing; i++)
            {
                float angle = rng.NextFloat() * MathF.Tau, speed = 20 + 80 * rng.NextFloat();
                world.Create(
                    new Position { X = rng.NextFloat() * config.WorldSize, Y = rng.NextFloat() * config.WorldSize },
                    new Velocity { X = speed * MathF.Cos(angle), Y = speed * MathF.Sin(angle) },
                    new Lifetime { TicksLeft = 1 + rng.NextInt(config.MaxLifetime) });
            }
            world.Resources.Get<DemoMetrics>().Spawned += Math.Max(0, missing);
        }
    }

    private struct Integrate(float dt) : IForEach<Position, Velocity>
    {
        public void Update(ref Position p, ref Velocity v)
        {
            p.X += v.X * dt;
            p.Y += v.Y * dt;
        }
    }

    /// <summary>Integrates positions on every core.</summary>
    private sealed class MoveSystem : ISystem
    {
        public void Update(in TickContext tick) =>
            tick.World.ParallelQuery<Integrate, Position, Velocity>(Moving, new Integrate(tick.DeltaTime));
    }

    private struct Reflect(float size) : IForEach<Position, Velocity>
    {
        public void Update(ref Position p, ref Velocity v)
        {
            if (p.X < 0) { p.X = -p.X; v.X = -v.X; } else if (p.X > size) { p.X = 2 * size - p.X; v.X = -v.X; }
            if (p.Y < 0) { p.Y = -p.Y; v.Y = -v.Y; } else if (p.Y > size) { p.Y = 2 * size - p.Y; v.Y = -v.Y; }
        }
    }

    /// <summary>Reflects particles off the walls.</summary>
    private sealed class BounceSystem : ISystem
    {
        public void Update(in TickContext tick)
        {
            var reflect = new Reflect(tick.World.Resources.Get<DemoConfig>().WorldSize);
            tick.World.InlineQuery<Reflect, Position, Velocity>(Moving, ref reflect);
        }
    }

    /// <summary>Counts lifetimes down and destroys expired particles through the command buffer.</summary>
    private sealed class AgeSystem : ISystem
    {
        public void Update(in TickContext tick)
        {
            var commands = tick.World.Commands;
            int expired = 0;
            tick.World.Query(Aging, (Entity e, ref Lifetime life) =>
            {
                if (--life.TicksLeft <= 0)
                {
                    commands.Destroy(e); // structural: deferred to the end of the stage
                    expired++;
                }
            });
            tick.World.Resources.Get<DemoMetrics>().Expired += expired;
        }
    }

    /// <summary>Tracks the population.</summary>
    private sealed class MetricsSystem : ISystem
    {
        public void Update(in TickContext tick)
        {
            var metrics = tick.World.Resources.Get<DemoMetrics>();
            metrics.Alive = tick.World.Size;
            metrics.Ticks = tick.Tick;
        }
    }
}
