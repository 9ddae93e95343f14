using BenchmarkDotNet.Attributes;
using Sim.Engine;

namespace Sim.Bench.Micro;

/// <summary>BenchmarkDotNet micro-benchmarks of the ECS hot paths (<c>sim bench micro --filter *Ecs*</c>).</summary>
[MemoryDiagnoser]
public class EcsBenchmarks
{
    private World _world = null!;
    private readonly QueryDescription _query = new QueryDescription().WithAll<Suites.EcsSuite.Position, Suites.EcsSuite.Velocity>();

    /// <summary>Entities in the world.</summary>
    [Params(100_000)]
    public int N { get; set; }

    /// <summary>Builds the world.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _world = World.Create(1);
        var handles = new Entity[N];
        _world.Create(handles.AsSpan(), new Suites.EcsSuite.Position(), new Suites.EcsSuite.Velocity { X = 1 });
    }

    /// <summary>Disposes the world.</summary>
    [GlobalCleanup]
    public void Cleanup() => _world.Dispose();

    /// <summary>Struct-callback query.</summary>
    [Benchmark(Baseline = true)]
    public void InlineQuery()
    {
        var move = new Suites.EcsSuite.Move();
        _world.InlineQuery<Suites.EcsSuite.Move, Suites.EcsSuite.Position, Suites.EcsSuite.Velocity>(_query, ref move);
    }

    /// <summary>Lambda query.</summary>
    [Benchmark]
    public void LambdaQuery() => _world.Query(_query, (ref Suites.EcsSuite.Position p, ref Suites.EcsSuite.Velocity v) => p.X += v.X);

    /// <summary>Create then destroy one entity.</summary>
    [Benchmark]
    public void CreateDestroy() => _world.Destroy(_world.Create(new Suites.EcsSuite.Position(), new Suites.EcsSuite.Velocity()));
}
