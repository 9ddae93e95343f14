using System.Runtime.CompilerServices;
using Sim.Engine;

namespace Sim.Bench.Suites;

/// <summary>
/// <c>sim bench ecs</c>: query, create, destroy and add/remove costs at 1,000,000 entities with two components of
/// three floats each, and a plain loop over two struct arrays with the same data as the baseline, measured in the same run.
/// </summary>
public sealed class EcsSuite : IBenchSuite
{
    /// <summary>Entities per measurement; the targets are stated at this size.</summary>
    public const int Entities = 1_000_000;

    /// <inheritdoc />
    public string Name => "ecs";

    /// <inheritdoc />
    public string Description => "ECS queries, creation, destruction and structural changes at 1M entities";

    internal struct Position { public float X, Y, Z; }
    internal struct Velocity { public float X, Y, Z; }
    internal struct Tag { public int Value; }

    internal struct Move : IForEach<Position, Velocity>
    {
        public void Update(ref Position p, ref Velocity v)
        {
            p.X += v.X; p.Y += v.Y; p.Z += v.Z;
        }
    }

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        int repeats = quick ? 5 : 25;
        int structuralRepeats = quick ? 2 : 5;
        var query = new QueryDescription().WithAll<Position, Velocity>();

        // Baseline: the same data in two plain arrays.
        var positions = new Position[Entities];
        var velocities = new Velocity[Entities];
        for (int i = 0; i < Entities; i++) velocities[i] = new Velocity { X = 1, Y = 2, Z = 3 };
        using var world = World.Create(1);
        var handles = new Entity[Entities];
        world.Create(handles.AsSpan(), new Position(), new Velocity { X = 1, Y = 2, Z = 3 });
        var move = new Move();
        // The raw loop and both query styles take turns, so their ratios compare the same moments of the machine, and
        // only once the JIT has gone quiet.
        Action[] bodies =
        [
            () => RawLoop(positions, velocities),
            () => world.InlineQuery<Move, Position, Velocity>(query, ref move),
            () => world.Query(query, (ref Position p, ref Velocity v) =>
            {
                p.X += v.X; p.Y += v.Y; p.Z += v.Z;
            }),
        ];
        Measure.SettleJit(() => { foreach (var body in bodies) body(); }, leastSeconds: quick ? 0.5 : 1);
        var times = Measure.BestSecondsInterleaved(repeats, 1, bodies);
        double raw = times[0], inline = times[1], lambda = times[2];
        progress(0.45);
        // Settled like the others: otherwise its timed runs share both cores with the JIT promoting its worker loop.
        Action parallelBody = () => world.ParallelQuery<Move, Position, Velocity>(query, move);
        Measure.SettleJit(parallelBody, leastSeconds: quick ? 0.5 : 1);
        double parallel = Measure.BestSeconds(parallelBody, repeats, warmup: 1);
        progress(0.55);

        // The structural paths (World.Add, Remove, Destroy) start as tier-0 code like any method: run them on a small
        // world until the JIT has promoted them, so the timed runs measure optimised code.
        var few = new Entity[1000];
        Measure.SettleJit(() =>
        {
            using var w = World.Create(5);
            w.Create(few.AsSpan(), new Position(), new Velocity());
            AddRemoveLoop(w, few);
            CreateLoop(w, few.Length);
            DestroyLoop(w, few);
        }, leastSeconds: quick ? 0.5 : 1);

        World? fresh = null;
        double create = Measure.BestSeconds(
            () => { fresh?.Dispose(); fresh = World.Create(2); GC.Collect(); },
            () => CreateLoop(fresh!, Entities),
            structuralRepeats);
        progress(0.7);

        double destroy = Measure.BestSeconds(
            () => { fresh?.Dispose(); fresh = World.Create(3); fresh.Create(handles.AsSpan(), new Position(), new Velocity()); GC.Collect(); },
            () => DestroyLoop(fresh!, handles),
            structuralRepeats);
        progress(0.85);

        const int churn = 200_000;
        double addRemove = Measure.BestSeconds(
            () => { fresh?.Dispose(); fresh = World.Create(4); fresh.Create(handles.AsSpan(0, churn), new Position(), new Velocity()); GC.Collect(); },
            () => AddRemoveLoop(fresh!, handles.AsSpan(0, churn)),
            structuralRepeats);
        fresh?.Dispose();
        progress(1);

        double ns(double seconds, double n) => seconds * 1e9 / n;
        report.Add("ecs.query2.iforeach.ns_per_entity", ns(inline, Entities), "ns", "target <= 1.2x raw");
        report.Add("ecs.query2.lambda.ns_per_entity", ns(lambda, Entities), "ns", "target <= 2x raw");
        report.Add("ecs.query2.raw_loop.ns_per_entity", ns(raw, Entities), "ns", "two plain struct arrays");
        report.Add("ecs.query2.iforeach.vs_raw", inline / raw, "x", "target <= 1.2");
        report.Add("ecs.query2.lambda.vs_raw", lambda / raw, "x", "target <= 2");
        report.Add("ecs.create.ns_per_entity", ns(create, Entities), "ns", "target <= 25");
        report.Add("ecs.destroy.ns_per_entity", ns(destroy, Entities), "ns", "target <= 25");
        report.Add("ecs.add_remove.ns_per_op", ns(addRemove, 2.0 * churn), "ns", "one Add or one Remove");
        report.Add("ecs.parallel_query2.speedup", inline / parallel, "x", $"{Environment.ProcessorCount} cores");
    }

    // Timed bodies are separate methods compiled fully optimised at once, so every variant (the raw loop included)
    // runs the same quality of machine code however few times it is called.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CreateLoop(World w, int n)
    {
        var v = new Velocity { X = 1, Y = 2, Z = 3 };
        for (int i = 0; i < n; i++) w.Create(new Position(), v);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DestroyLoop(World w, Entity[] handles)
    {
        for (int i = 0; i < handles.Length; i++) w.Destroy(handles[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRemoveLoop(World w, ReadOnlySpan<Entity> handles)
    {
        for (int i = 0; i < handles.Length; i++) w.Add(handles[i], new Tag { Value = i });
        for (int i = 0; i < handles.Length; i++) w.Remove<Tag>(handles[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RawLoop(Position[] p, Velocity[] v)
    {
        for (int i = 0; i < p.Length; i++)
        {
            ref var a = ref p[i];
            var b = v[i];
            a.X += b.X; a.Y += b.Y; a.Z += b.Z;
        }
    }
}
