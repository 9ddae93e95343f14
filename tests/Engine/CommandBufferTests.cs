using Sim.Engine;

namespace Sim.Tests.Engine;

public class CommandBufferTests
{
    private static readonly QueryDescription WithA = new QueryDescription().WithAll<A>();

    [Test]
    public void PlaybackAppliesCommandsInOrderIncludingPlaceholders()
    {
        using var world = World.Create();
        var keep = world.Create(new A { Value = 1 });
        var doomed = world.Create(new A { Value = 2 });
        var cb = new CommandBuffer();
        var fresh = cb.Create();
        cb.Add(fresh, new A { Value = 42 });
        cb.Add(fresh, new B { Value = 7 });
        cb.Destroy(doomed);
        cb.Set(keep, new A { Value = 5 });
        cb.Add(keep, new C { Value = 1.5f });
        cb.Remove<C>(keep);
        Assert.That(cb.Count, Is.EqualTo(7));
        Assert.That(world.Size, Is.EqualTo(2), "nothing happens before playback");

        var created = cb.Playback(world);
        Assert.That(created, Has.Count.EqualTo(1));
        var e = created[0];
        Assert.That(world.Get<A>(e).Value, Is.EqualTo(42));
        Assert.That(world.Get<B>(e).Value, Is.EqualTo(7));
        Assert.That(world.IsAlive(doomed), Is.False);
        Assert.That(world.Get<A>(keep).Value, Is.EqualTo(5));
        Assert.That(world.Has<C>(keep), Is.False);
        Assert.That(cb.Count, Is.EqualTo(0), "playback clears the buffer");
    }

    [Test]
    public void DestroyingTwiceInOneBufferIsHarmless()
    {
        using var world = World.Create();
        var e = world.Create(new A());
        var cb = new CommandBuffer();
        cb.Destroy(e);
        cb.Destroy(e);
        cb.Set(e, new A { Value = 3 });
        cb.Playback(world);
        Assert.That(world.Size, Is.EqualTo(0));
    }

    [Test]
    public void StructuralChangesInsideAQueryThrowAndLeaveDataIntact()
    {
        using var world = World.Create();
        var handles = new Entity[100];
        world.Create(handles.AsSpan(), new A { Value = 1 });
        var target = handles[10];
        Assert.Throws<StructuralChangeException>(() => world.Query(WithA, (ref A a) => world.Create(new A())));
        Assert.Throws<StructuralChangeException>(() => world.Query(WithA, (Entity e, ref A a) => world.Destroy(e)));
        Assert.Throws<StructuralChangeException>(() => world.Query(WithA, (ref A a) => world.Add(target, new B())));
        Assert.Throws<StructuralChangeException>(() => world.Query(WithA, (ref A a) => world.Remove<A>(target)));
        Assert.Throws<StructuralChangeException>(() => world.QueryChunks(WithA, _ => world.Create()));
        Assert.That(world.Size, Is.EqualTo(100));
        Assert.That(handles.All(h => world.IsAlive(h) && world.Get<A>(h).Value == 1 && !world.Has<B>(h)), Is.True);
        Assert.That(world.IsIterating, Is.False, "a throwing query still ends its iteration");

        // Non-structural writes are fine inside a query, and the deferred path works.
        world.Query(WithA, (Entity e, ref A a) =>
        {
            world.Set(e, new A { Value = 2 });
            if (e == target) world.Commands.Destroy(e);
        });
        world.Commands.Playback(world);
        Assert.That(world.Size, Is.EqualTo(99));
        Assert.That(world.IsAlive(target), Is.False);
    }

    [Test]
    public void ExceptionMessageSaysWhatToDo()
    {
        using var world = World.Create();
        world.Create(new A());
        var ex = Assert.Throws<StructuralChangeException>(() => world.Query(WithA, (ref A a) => world.Create()));
        Assert.That(ex!.Message, Does.Contain("CommandBuffer"));
    }

    [Test]
    public void RecordingFromParallelWorkersIsSafe()
    {
        using var world = World.Create();
        var handles = new Entity[20_000];
        world.Create(handles.AsSpan(), new A());
        world.ParallelWorkers = 4;
        Parallel.For(0, handles.Length, i => world.Commands.Add(handles[i], new B { Value = i }));
        world.Commands.Playback(world);
        Assert.That(handles.Select((h, i) => world.Get<B>(h).Value == i).All(x => x), Is.True);
    }
}
