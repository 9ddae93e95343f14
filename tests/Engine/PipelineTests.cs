using Sim.Engine;

namespace Sim.Tests.Engine;

public class PipelineTests
{
    // The engine defines no stages: a pipeline runs whatever ordered list it is given.
    private static class Stages
    {
        public static readonly Stage Spawn = new("spawn"), SearchSelect = new("search.select"), Policy = new("policy"), Learning = new("learning"), Metrics = new("metrics");
        public static readonly Stage[] Order = [Spawn, SearchSelect, Policy, Learning, Metrics];
    }

    private sealed class Probe(string name, List<string> log) : ISystem
    {
        public string Name => name;
        public void Initialize(World world) => log.Add($"{name}.init");
        public void BeforeUpdate(in TickContext t) => log.Add($"{name}.before");
        public void Update(in TickContext t) => log.Add($"{name}.update@{t.Tick}");
        public void AfterUpdate(in TickContext t) => log.Add($"{name}.after");
    }

    [Test]
    public void StagesRunInTheFixedOrderRegardlessOfRegistrationOrder()
    {
        using var world = World.Create();
        var log = new List<string>();
        var pipeline = new Pipeline(world, Stages.Order)
            .Add(Stages.Metrics, new Probe("m", log))
            .Add(Stages.Spawn, new Probe("s", log))
            .Add(Stages.Policy, new Probe("p", log));
        pipeline.Tick();
        Assert.That(log, Is.EqualTo(new[]
        {
            "s.init", "p.init", "m.init",
            "s.before", "s.update@1", "s.after",
            "p.before", "p.update@1", "p.after",
            "m.before", "m.update@1", "m.after",
        }));
        Assert.That(world.Clock.Tick, Is.EqualTo(1));
    }

    [Test]
    public void GroupsRunEachPhaseOverTheWholeListAndNest()
    {
        using var world = World.Create();
        var log = new List<string>();
        var inner = new Group("inner", new Probe("b", log));
        var outer = new Group("outer", new Probe("a", log), inner);
        var pipeline = new Pipeline(world, Stages.Order).Add(Stages.SearchSelect, outer);
        pipeline.Tick();
        Assert.That(log, Is.EqualTo(new[]
        {
            "a.init", "b.init",
            "a.before", "b.before", "a.update@1", "b.update@1", "a.after", "b.after",
        }));
    }

    [Test]
    public void CommandBufferPlaysBackBetweenStages()
    {
        using var world = World.Create();
        int seenBySecondStage = -1;
        var pipeline = new Pipeline(world, Stages.Order)
            .Add(Stages.Spawn, new Lambda(t => t.World.Commands.Create()))
            .Add(Stages.Policy, new Lambda(t => seenBySecondStage = t.World.Size));
        pipeline.Tick();
        Assert.That(seenBySecondStage, Is.EqualTo(1));
    }

    [Test]
    public void ProfilerRecordsEverySystemByPath()
    {
        using var world = World.Create();
        var pipeline = new Pipeline(world, Stages.Order)
            .Add(Stages.Spawn, new Lambda(_ => Thread.SpinWait(1000)))
            .Add(Stages.Learning, new Group("learners", new Lambda(_ => { })))
            .EnableProfiling();
        pipeline.Run(5);
        var entries = pipeline.Profiler!.Entries();
        Assert.That(entries.Select(e => e.Path), Is.EqualTo(new[] { "spawn/Lambda", "learning/learners", "learning/learners/Lambda" }));
        Assert.That(entries[0].TotalMs, Is.GreaterThan(0));
        Assert.That(pipeline.Profiler.Ticks, Is.EqualTo(5));
    }

    [Test]
    public void UnknownStageIsAClearError()
    {
        using var world = World.Create();
        var ex = Assert.Throws<ArgumentException>(() => new Pipeline(world, Stages.Order).Add(new Stage("nope"), new Lambda(_ => { })));
        Assert.That(ex!.Message, Does.Contain("spawn"));
    }

    [Test]
    public void StagesMustBeDistinctAndPresent()
    {
        using var world = World.Create();
        Assert.Throws<ArgumentException>(() => new Pipeline(world, []));
        Assert.Throws<ArgumentException>(() => new Pipeline(world, [Stages.Spawn, Stages.Spawn]));
    }

    private sealed class Lambda(Action<TickContext> body) : ISystem
    {
        public void Update(in TickContext tick) => body(tick);
    }
}
