using Sim.Engine;

namespace Sim.Tests.Engine;

public class EntityTests
{
    [Test]
    public void NullEntityIsNeverAlive()
    {
        using var world = World.Create();
        Assert.That(Entity.Null.IsNull, Is.True);
        Assert.That(world.IsAlive(Entity.Null), Is.False);
        world.Create(new A());
        Assert.That(world.IsAlive(default), Is.False);
    }

    [Test]
    public void HandleIsDeadAfterDestroy()
    {
        using var world = World.Create();
        var e = world.Create(new A { Value = 1 });
        world.Destroy(e);
        Assert.That(world.IsAlive(e), Is.False);
        Assert.Throws<DeadEntityException>(() => world.Get<A>(e));
        Assert.Throws<DeadEntityException>(() => world.Destroy(e));
        Assert.Throws<DeadEntityException>(() => world.Add(e, new B()));
    }

    [Test]
    public void StaleHandleStaysDeadAfterIdReuse()
    {
        using var world = World.Create();
        var old = world.Create(new A { Value = 1 });
        world.Destroy(old);
        var reused = world.Create(new A { Value = 2 });
        Assert.That(reused.Id, Is.EqualTo(old.Id), "the freed id is reused");
        Assert.That(reused.Version, Is.Not.EqualTo(old.Version));
        Assert.That(world.IsAlive(old), Is.False);
        Assert.That(world.IsAlive(reused), Is.True);
        Assert.Throws<DeadEntityException>(() => world.Set(old, new A { Value = 99 }));
        Assert.That(world.Get<A>(reused).Value, Is.EqualTo(2), "a stale handle must not write through to the new entity");
    }

    [Test]
    public void ManyCyclesOfReuseKeepEveryOldHandleDead()
    {
        using var world = World.Create();
        var seen = new List<Entity>();
        for (int i = 0; i < 100; i++)
        {
            var e = world.Create(new A { Value = i });
            seen.Add(e);
            world.Destroy(e);
        }
        var live = world.Create(new A());
        Assert.That(seen.All(e => !world.IsAlive(e)), Is.True);
        Assert.That(world.IsAlive(live), Is.True);
        Assert.That(world.Size, Is.EqualTo(1));
    }

    [Test]
    public void HandleFromAnotherWorldIsNotAlive()
    {
        using var w1 = World.Create();
        using var w2 = World.Create();
        var e = w1.Create(new A());
        Assert.That(w2.IsAlive(e), Is.False);
    }
}
