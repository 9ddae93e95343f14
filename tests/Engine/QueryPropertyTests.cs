using Sim.Engine;

namespace Sim.Tests.Engine;

/// <summary>
/// Thousands of random create / destroy / add / remove / set operations, checked after every batch against a naive
/// reference model (a dictionary of optional components), through every query flavour.
/// </summary>
public class QueryPropertyTests
{
    private sealed class Model
    {
        public readonly Dictionary<Entity, (int? a, long? b, float? c)> Rows = new();
    }

    private struct SumAB : IForEach<A, B>
    {
        public long Sum;
        public void Update(ref A a, ref B b) => Sum += a.Value * 31L + b.Value;
    }

    private struct CollectA : IForEachWithEntity<A>
    {
        public List<(Entity, int)> Seen;
        public void Update(Entity e, ref A a) => Seen.Add((e, a.Value));
    }

    private struct IncrementA : IForEach<A>
    {
        public void Update(ref A a) => a.Value++;
    }

    private struct ThrowOnA : IForEach<A>
    {
        public void Update(ref A a) => throw new InvalidOperationException("planted");
    }

    private static readonly QueryDescription AllAB = new QueryDescription().WithAll<A, B>();
    private static readonly QueryDescription AOnly = new QueryDescription().WithAll<A>().WithNone<B, C>();
    private static readonly QueryDescription AnyBC = new QueryDescription().WithAny<B, C>();
    private static readonly QueryDescription NoneA = new QueryDescription().WithNone<A>();

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    public void RandomOperationsMatchReferenceModel(ulong seed)
    {
        using var world = World.Create(seed);
        var model = new Model();
        var rng = new Rng(seed);
        var live = new List<Entity>();
        for (int batch = 0; batch < 40; batch++)
        {
            for (int op = 0; op < 100; op++) Step(world, model, live, ref rng);
            Check(world, model);
        }
        Assert.That(world.Size, Is.EqualTo(model.Rows.Count));
    }

    private static void Step(World world, Model model, List<Entity> live, ref Rng rng)
    {
        int kind = live.Count == 0 ? 0 : rng.NextInt(7);
        switch (kind)
        {
            case 0: // create with a random subset
            {
                int shape = rng.NextInt(5);
                int av = rng.NextInt(1000);
                long bv = rng.NextInt(1000);
                float cv = rng.NextInt(1000);
                Entity e = shape switch
                {
                    0 => world.Create(new A { Value = av }),
                    1 => world.Create(new A { Value = av }, new B { Value = bv }),
                    2 => world.Create(new B { Value = bv }, new C { Value = cv }),
                    3 => world.Create(new A { Value = av }, new B { Value = bv }, new C { Value = cv }),
                    _ => world.Create(),
                };
                model.Rows[e] = shape switch
                {
                    0 => (av, null, null),
                    1 => (av, bv, null),
                    2 => (null, bv, cv),
                    3 => (av, bv, cv),
                    _ => (null, null, null),
                };
                live.Add(e);
                break;
            }
            case 1: // destroy
            {
                int i = rng.NextInt(live.Count);
                var e = live[i];
                world.Destroy(e);
                model.Rows.Remove(e);
                live[i] = live[^1];
                live.RemoveAt(live.Count - 1);
                Assert.That(world.IsAlive(e), Is.False);
                break;
            }
            case 2: // add or remove A
            {
                var e = live[rng.NextInt(live.Count)];
                var row = model.Rows[e];
                if (row.a is null) { int v = rng.NextInt(1000); world.Add(e, new A { Value = v }); row.a = v; }
                else { world.Remove<A>(e); row.a = null; }
                model.Rows[e] = row;
                break;
            }
            case 3: // add or remove B
            {
                var e = live[rng.NextInt(live.Count)];
                var row = model.Rows[e];
                if (row.b is null) { long v = rng.NextInt(1000); world.Add(e, new B { Value = v }); row.b = v; }
                else { world.Remove<B>(e); row.b = null; }
                model.Rows[e] = row;
                break;
            }
            case 4: // add or remove C
            {
                var e = live[rng.NextInt(live.Count)];
                var row = model.Rows[e];
                if (row.c is null) { float v = rng.NextInt(1000); world.Add(e, new C { Value = v }); row.c = v; }
                else { world.Remove<C>(e); row.c = null; }
                model.Rows[e] = row;
                break;
            }
            default: // set A where present
            {
                var e = live[rng.NextInt(live.Count)];
                var row = model.Rows[e];
                if (row.a is not null)
                {
                    int v = rng.NextInt(1000);
                    world.Set(e, new A { Value = v });
                    row.a = v;
                    model.Rows[e] = row;
                }
                break;
            }
        }
    }

    private static void Check(World world, Model model)
    {
        // Every entity's components, one by one.
        foreach (var (e, row) in model.Rows)
        {
            Assert.That(world.IsAlive(e), Is.True);
            Assert.That(world.Has<A>(e), Is.EqualTo(row.a is not null));
            Assert.That(world.Has<B>(e), Is.EqualTo(row.b is not null));
            Assert.That(world.Has<C>(e), Is.EqualTo(row.c is not null));
            if (row.a is { } a) Assert.That(world.Get<A>(e).Value, Is.EqualTo(a));
            if (row.b is { } b) Assert.That(world.Get<B>(e).Value, Is.EqualTo(b));
            if (row.c is { } c) Assert.That(world.Get<C>(e).Value, Is.EqualTo(c));
        }

        // Counts through All / Any / None.
        Assert.That(world.CountEntities(AllAB), Is.EqualTo(model.Rows.Values.Count(r => r.a is not null && r.b is not null)));
        Assert.That(world.CountEntities(AOnly), Is.EqualTo(model.Rows.Values.Count(r => r.a is not null && r.b is null && r.c is null)));
        Assert.That(world.CountEntities(AnyBC), Is.EqualTo(model.Rows.Values.Count(r => r.b is not null || r.c is not null)));
        Assert.That(world.CountEntities(NoneA), Is.EqualTo(model.Rows.Values.Count(r => r.a is null)));

        // The same sum through lambda, inline and parallel queries.
        long expected = model.Rows.Values.Where(r => r.a is not null && r.b is not null).Sum(r => r.a!.Value * 31L + r.b!.Value);
        long lambda = 0;
        world.Query(AllAB, (ref A a, ref B b) => lambda += a.Value * 31L + b.Value);
        var inline = new SumAB();
        world.InlineQuery<SumAB, A, B>(AllAB, ref inline);
        Assert.That(lambda, Is.EqualTo(expected));
        Assert.That(inline.Sum, Is.EqualTo(expected));

        // Entity-aware queries see exactly the model's entities.
        var collect = new CollectA { Seen = new() };
        world.InlineEntityQuery<CollectA, A>(new QueryDescription(), ref collect);
        var expectedA = model.Rows.Where(kv => kv.Value.a is not null).ToDictionary(kv => kv.Key, kv => kv.Value.a!.Value);
        Assert.That(collect.Seen.ToDictionary(x => x.Item1, x => x.Item2), Is.EquivalentTo(expectedA));
        var viaLambda = new Dictionary<Entity, int>();
        world.Query(new QueryDescription(), (Entity e, ref A a) => viaLambda.Add(e, a.Value));
        Assert.That(viaLambda, Is.EquivalentTo(expectedA));

        // A parallel write is visible to everyone, then undone.
        world.ParallelQuery<IncrementA, A>(new QueryDescription(), new IncrementA());
        foreach (var (e, v) in expectedA) Assert.That(world.Get<A>(e).Value, Is.EqualTo(v + 1));
        world.Query(new QueryDescription(), (ref A a) => a.Value--);
    }

    [Test]
    public void ParallelQueryCoversEveryRowOfALargeWorldExactlyOnce()
    {
        using var world = World.Create();
        var handles = new Entity[200_000];
        world.Create(handles.AsSpan(), new A { Value = 0 });
        world.ParallelWorkers = 4;
        for (int i = 0; i < 3; i++) world.ParallelQuery<IncrementA, A>(new QueryDescription(), new IncrementA());
        long sum = 0;
        world.Query(new QueryDescription(), (ref A a) => sum += a.Value);
        Assert.That(sum, Is.EqualTo(3L * handles.Length));
    }

    [TestCase(1)]
    [TestCase(17)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(1000)]
    [TestCase(5000)]
    public void ParallelQuerySlicesCoverEveryRowOnceAtAnySize(int count)
    {
        using var world = World.Create();
        var handles = new Entity[count];
        world.Create(handles.AsSpan(), new A { Value = 0 });
        world.Create(new A { Value = 0 }, new B()); // a second archetype
        world.ParallelWorkers = 3;
        world.ParallelQuery<IncrementA, A>(new QueryDescription(), new IncrementA());
        Assert.That(handles.All(h => world.Get<A>(h).Value == 1), Is.True);
        Assert.That(world.CountEntities(new QueryDescription().WithAll<A>()), Is.EqualTo(count + 1));
        long sum = 0;
        world.Query(new QueryDescription(), (ref A a) => sum += a.Value);
        Assert.That(sum, Is.EqualTo(count + 1));
    }

    [TestCase(1)]
    [TestCase(3)]
    public void AFaultInAParallelQuerySurfacesAsItselfAtAnyWorkerCount(int workers)
    {
        using var world = World.Create();
        var handles = new Entity[500];
        world.Create(handles.AsSpan(), new A { Value = 0 });
        world.ParallelWorkers = workers;
        Assert.Throws<InvalidOperationException>(() => world.ParallelQuery<ThrowOnA, A>(new QueryDescription(), new ThrowOnA()));
    }
}
