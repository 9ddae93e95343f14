using Sim.Engine;

namespace Sim.Tests.Engine;

public class WorldTests
{
    [Test]
    public void CreateWithUpToSixComponentsStoresEveryValue()
    {
        using var world = World.Create();
        var e1 = world.Create(new A { Value = 1 });
        var e6 = world.Create(new A { Value = 1 }, new B { Value = 2 }, new C { Value = 3 }, new D { Value = 4 }, new E { Value = 5 }, new F { Value = 6 });
        Assert.That(world.Get<A>(e1).Value, Is.EqualTo(1));
        Assert.That(world.Has<B>(e1), Is.False);
        Assert.That(world.Get<A>(e6).Value, Is.EqualTo(1));
        Assert.That(world.Get<B>(e6).Value, Is.EqualTo(2));
        Assert.That(world.Get<C>(e6).Value, Is.EqualTo(3f));
        Assert.That(world.Get<D>(e6).Value, Is.EqualTo(4));
        Assert.That(world.Get<E>(e6).Value, Is.EqualTo(5));
        Assert.That(world.Get<F>(e6).Value, Is.EqualTo(6.0));
        Assert.That(world.GetComponentTypes(e6), Has.Count.EqualTo(6));
    }

    [Test]
    public void DuplicateTypeInOneSignatureIsRejected()
    {
        using var world = World.Create();
        var ex = Assert.Throws<TypeInitializationException>(() => world.Create(new A(), new A()));
        Assert.That(ex!.InnerException, Is.TypeOf<ArgumentException>());
    }

    [Test]
    public void AddRemoveSetGetHas()
    {
        using var world = World.Create();
        var e = world.Create(new A { Value = 7 });
        world.Add(e, new B { Value = 8 });
        Assert.That(world.Has<B>(e), Is.True);
        Assert.That(world.Get<A>(e).Value, Is.EqualTo(7), "existing components survive the archetype move");
        world.Set(e, new B { Value = 9 });
        Assert.That(world.Get<B>(e).Value, Is.EqualTo(9));
        world.Get<A>(e).Value = 10; // Get returns a reference
        Assert.That(world.Get<A>(e).Value, Is.EqualTo(10));
        world.Remove<A>(e);
        Assert.That(world.Has<A>(e), Is.False);
        Assert.That(world.Get<B>(e).Value, Is.EqualTo(9));
        Assert.Throws<InvalidOperationException>(() => world.Add(e, new B()));
        Assert.Throws<InvalidOperationException>(() => world.Remove<A>(e));
        Assert.Throws<InvalidOperationException>(() => world.Get<A>(e));
        Assert.That(world.TryGet<A>(e, out _), Is.False);
        Assert.That(world.TryGet<B>(e, out var b) && b.Value == 9, Is.True);
    }

    [Test]
    public void DestroyMovesLastRowAndKeepsOtherEntitiesIntact()
    {
        using var world = World.Create();
        var es = Enumerable.Range(0, 300).Select(i => world.Create(new A { Value = i }, new Name($"n{i}"))).ToList();
        for (int i = 0; i < 300; i += 3) world.Destroy(es[i]);
        for (int i = 0; i < 300; i++)
        {
            if (i % 3 == 0) Assert.That(world.IsAlive(es[i]), Is.False);
            else
            {
                Assert.That(world.Get<A>(es[i]).Value, Is.EqualTo(i));
                Assert.That(world.Get<Name>(es[i]).Text, Is.EqualTo($"n{i}"));
            }
        }
        Assert.That(world.Size, Is.EqualTo(200));
    }

    [Test]
    public void BulkCreateAndBulkDestroy()
    {
        using var world = World.Create();
        var handles = new Entity[10_000];
        world.Create(handles.AsSpan(), new A { Value = 3 }, new B { Value = 4 });
        var other = world.Create(new C());
        Assert.That(world.Size, Is.EqualTo(10_001));
        Assert.That(handles.Distinct().Count(), Is.EqualTo(handles.Length));
        Assert.That(handles.All(h => world.Get<A>(h).Value == 3 && world.Get<B>(h).Value == 4), Is.True);

        world.Destroy(handles.AsSpan(0, 100));
        Assert.That(world.Size, Is.EqualTo(9_901));

        world.Destroy(new QueryDescription().WithAll<A>());
        Assert.That(world.Size, Is.EqualTo(1));
        Assert.That(handles.Any(world.IsAlive), Is.False);
        Assert.That(world.IsAlive(other), Is.True);
        // Freed ids are reused and old handles stay dead.
        var again = world.Create(new A { Value = 5 });
        Assert.That(world.Get<A>(again).Value, Is.EqualTo(5));
        Assert.That(handles.Any(world.IsAlive), Is.False);
    }

    [Test]
    public void ResourcesHoldSingletons()
    {
        using var world = World.Create(seed: 5);
        Assert.That(world.Resources.Get<SimRandom>().Seed, Is.EqualTo(5UL));
        Assert.That(world.Resources.Get<Clock>(), Is.SameAs(world.Clock));
        world.Resources.Set("config");
        Assert.That(world.Resources.Get<string>(), Is.EqualTo("config"));
        Assert.That(world.Resources.Remove<string>(), Is.True);
        var ex = Assert.Throws<KeyNotFoundException>(() => world.Resources.Get<string>());
        Assert.That(ex!.Message, Does.Contain("String"));
    }

    [Test]
    public void ManagedComponentsAreReleasedOnDestroy()
    {
        using var world = World.Create();
        var weak = CreateAndDestroy(world);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(weak.IsAlive, Is.False, "the destroyed entity's string must not be kept alive by its chunk");
    }

    private static WeakReference CreateAndDestroy(World world)
    {
        var payload = new string('x', 1000);
        var keep = world.Create(new Name("keep"));
        var e = world.Create(new Name(payload));
        world.Destroy(e);
        world.Destroy(keep);
        return new WeakReference(payload);
    }
}
