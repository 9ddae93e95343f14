using NUnit.Framework;
using Sim.Bench.Suites;
using Sim.Engine;
using Sim.Systems;
using Sim.Replay;
using Sim.Systems.Demo;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Systems.Recording;

public class RecordSystemTests
{
    private static string RecordDemo(ulong seed, int ticks, int entities = 300, ReplayWriterOptions? options = null)
    {
        string path = TempPath("demo");
        using var world = World.Create(seed);
        var config = new DemoConfig(Entities: entities);
        var pipeline = DemoSystems.Build(world, config);
        using (var writer = ReplayWriter.Create(path, DemoRecording.Header(seed, config, ticks, "test"), options ?? new ReplayWriterOptions { ChunkTicks = 16 }))
        {
            DemoRecording.AddTo(pipeline, writer);
            pipeline.Run(ticks);
        }
        return path;
    }

    [Test]
    public void ReplayStateMatchesTheWorldAtEveryCheckedTick()
    {
        string path = RecordDemo(5, 70);
        try
        {
            using var r = ReplayReader.Open(path);
            var cursor = new ReplayCursor(r);
            foreach (int tick in new[] { 1, 15, 16, 17, 40, 70 })
            {
                using var world = World.Create(5);
                DemoSystems.Build(world, new DemoConfig(Entities: 300)).Run(tick);
                var state = cursor.Seek(tick);
                var pos = state.Component("position")!;
                Assert.That(state.Entities.Count, Is.EqualTo(world.Size), $"tick {tick}");
                world.Query(new QueryDescription().WithAll<Position>(), (Entity e, ref Position p) =>
                {
                    var v = pos.Get(e.Id);
                    Assert.That(v.Length, Is.EqualTo(2), $"entity {e.Id} missing at tick {tick}");
                    Assert.That((v[0], v[1]), Is.EqualTo((p.X, p.Y)));
                });
                Assert.That(state.Metrics["alive"], Is.EqualTo(world.Size));
            }
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void SameSeedGivesByteIdenticalReplays_OtherSeedDiffers()
    {
        string a = RecordDemo(9, 50), b = RecordDemo(9, 50), c = RecordDemo(10, 50);
        try
        {
            Assert.That(File.ReadAllBytes(a), Is.EqualTo(File.ReadAllBytes(b)));
            Assert.That(File.ReadAllBytes(a), Is.Not.EqualTo(File.ReadAllBytes(c)));
            var (code, output, _) = RunSim("replay", "diff", a, c);
            Assert.That(code, Is.EqualTo(1));
            Assert.That(output, Does.Contain("first difference at tick 1"));
        }
        finally { File.Delete(a); File.Delete(b); File.Delete(c); }
    }

    [Test]
    public void EveryThreadingModeWritesTheSameBytes()
    {
        // Records (and their rented buffers) are recycled by whichever thread encodes them; the bytes must not care.
        var modes = new[]
        {
            new ReplayWriterOptions { ChunkTicks = 16 },
            new ReplayWriterOptions { ChunkTicks = 16, EncodeOnCaller = true },
            new ReplayWriterOptions { ChunkTicks = 16, Background = false },
            new ReplayWriterOptions { ChunkTicks = 16, QueueCapacity = 1 },
            new ReplayWriterOptions { ChunkTicks = 16, EncodeOnCaller = true, QueueCapacity = 1 },
            new ReplayWriterOptions { ChunkTicks = 16, IdleWriter = false },
        };
        var paths = modes.Select(o => RecordDemo(4, 120, options: o)).ToList();
        try
        {
            var first = File.ReadAllBytes(paths[0]);
            foreach (var p in paths.Skip(1)) Assert.That(File.ReadAllBytes(p), Is.EqualTo(first));
        }
        finally { foreach (var p in paths) File.Delete(p); }
    }

    [Test]
    public void RawCaptureWritesTheSameBytesAsAnExtractor()
    {
        // DemoRecording tracks Position with TrackRaw (one copy per ECS chunk); an extractor must record the same.
        string raw = RecordDemo(3, 90), extracted = TempPath("extractor");
        try
        {
            using (var world = World.Create(3))
            {
                var config = new DemoConfig(Entities: 300);
                var pipeline = DemoSystems.Build(world, config);
                using var writer = ReplayWriter.Create(extracted, DemoRecording.Header(3, config, 90, "test"), new ReplayWriterOptions { ChunkTicks = 16 });
                pipeline.Add(Stages.Record, new Sim.Systems.Recording.RecordSystem(writer)
                    .TrackEntities(new QueryDescription().WithAll<Position>(), EntityKind.Particle)
                    .Track("position", ["x", "y"], (in Position p, Span<float> v) => { v[0] = p.X; v[1] = p.Y; })
                    .TrackMetrics(w =>
                    {
                        var m = w.Resources.Get<DemoMetrics>();
                        return [new MetricRecord("alive", w.Size), new MetricRecord("spawned", m.Spawned), new MetricRecord("expired", m.Expired)];
                    }));
                pipeline.Run(90);
            }
            Assert.That(File.ReadAllBytes(extracted), Is.EqualTo(File.ReadAllBytes(raw)));
        }
        finally { File.Delete(raw); File.Delete(extracted); }
    }

    [Test]
    public void TrackRawRejectsATypeThatIsNotExactlyTheFields()
    {
        using var writer = new ReplayWriter(new MemoryStream(), DemoRecording.Header(1, new DemoConfig(), 1, "test"));
        var recorder = new Sim.Systems.Recording.RecordSystem(writer);
        Assert.Throws<ArgumentException>(() => recorder.TrackRaw<Position>("position", ["x"]));
        Assert.Throws<ArgumentException>(() => recorder.TrackRaw<int>("position", ["x", "y"]));
        Assert.DoesNotThrow(() => recorder.TrackRaw<Position>("position", ["x", "y"]));
    }

    private sealed class EmitNodes(Action<long, Sim.Systems.Recording.ReplayEvents> emit) : ISystem
    {
        public void Update(in TickContext tick) => emit(tick.Tick, tick.World.Resources.Get<Sim.Systems.Recording.ReplayEvents>());
    }

    [Test]
    public void KeyframesRestateTreesInNodeOrderWhateverTheIds()
    {
        // Dense ids (array mirror), negative and huge ids (dictionary mirror), a step sent once, then a cleared tree.
        long[] ids = [5, -3, 2, 10_000_000, 7, 100_000, 0, -1];
        string path = TempPath("trees");
        try
        {
            using (var world = World.Create(1))
            using (var writer = ReplayWriter.Create(path, DemoRecording.Header(1, new DemoConfig(), 5, "test"), new ReplayWriterOptions { ChunkTicks = 2 }))
            {
                var pipeline = Stages.NewPipeline(world)
                    .Add(Stages.Episodes, new EmitNodes((tick, ev) =>
                    {
                        if (tick == 1) foreach (long id in ids) ev.TreeNodes.Add(new TreeNodeRecord(4, id, -1, $"s{id}", 1, 0, 0, false));
                        if (tick == 1) ev.TreeNodes.Add(new TreeNodeRecord(9, 3, -1, "other", 1, 0, 0, false));
                        if (tick == 2) ev.TreeNodes.Add(new TreeNodeRecord(4, 7, 2, null, 2, 0.5f, 0, true));
                        if (tick == 4) ev.TreesCleared.Add(4);
                    }));
                pipeline.Add(Stages.Record, new Sim.Systems.Recording.RecordSystem(writer));
                pipeline.Run(5);
            }
            using var r = ReplayReader.Open(path);
            var ticks = r.Ticks().ToList();
            var key = ticks.Single(t => t.Tick == 3);
            Assert.That(key.Keyframe, Is.True);
            Assert.That(key.TreeNodes.Select(n => (n.Agent, n.Node)),
                Is.EqualTo(ids.Order().Select(id => (4, id)).Append((9, 3L))));
            var seven = key.TreeNodes.Single(n => n.Agent == 4 && n.Node == 7);
            Assert.That((seven.Step, seven.Visits, seven.Chosen), Is.EqualTo(("s7", 2, true)), "a null step keeps the first text");
            Assert.That(ticks.Single(t => t.Tick == 5).TreeNodes.Select(n => n.Agent), Is.EqualTo(new[] { 9 }), "the cleared tree is gone");
        }
        finally { File.Delete(path); }
    }

    private struct Tag;

    private struct Other;

    [Test]
    public void EntityTrackingFollowsChurnArchetypeMovesAndIdReuse()
    {
        // Positions are tracked as particles; Tag entities are also tracked (as agents) by a second query. Each tick:
        // random destroys (ids come back), creations, entities moved between archetypes (Other added/removed) and
        // out of every tracked query (Position and Tag removed) and back. At every tick the replay's entity set, kinds
        // and positions must be the world's, whether read in sequence or reached by a seek.
        string path = TempPath("churn");
        var expected = new List<Dictionary<int, (EntityKind Kind, float X)>>();
        var rng = new Rng(5);
        using (var world = World.Create(1))
        using (var writer = ReplayWriter.Create(path, DemoRecording.Header(1, new DemoConfig(), 60, "test"), new ReplayWriterOptions { ChunkTicks = 7 }))
        {
            var live = new List<Entity>();
            var hidden = new List<Entity>();
            var pipeline = Stages.NewPipeline(world).Add(Stages.Spawn, new EmitNodes((tick, _) =>
            {
                for (int i = 0; i < 3 && live.Count > 0; i++)
                {
                    int at = (int)(rng.NextDouble() * live.Count);
                    world.Destroy(live[at]);
                    live.RemoveAt(at);
                }
                for (int i = 0; i < 4; i++)
                {
                    var e = i % 3 == 0 ? world.Create(new Position { X = tick, Y = i }, new Tag()) : world.Create(new Position { X = tick, Y = -i });
                    live.Add(e);
                }
                foreach (var e in live.Where(e => rng.NextDouble() < 0.1).ToList())
                {
                    if (world.Has<Other>(e)) world.Remove<Other>(e); else world.Add(e, new Other());
                }
                if (tick % 5 == 0 && live.Count > 2)
                {
                    var e = live[1];
                    world.Remove<Position>(e);
                    if (world.Has<Tag>(e)) world.Remove<Tag>(e);
                    live.RemoveAt(1);
                    hidden.Add(e);
                }
                if (tick % 5 == 3 && hidden.Count > 0)
                {
                    var e = hidden[0];
                    hidden.RemoveAt(0);
                    world.Add(e, new Position { X = -tick, Y = 0 });
                    live.Add(e);
                }
                foreach (var e in live) world.Get<Position>(e).X += 0.25f;
                var now = new Dictionary<int, (EntityKind, float)>();
                foreach (var e in live) now[e.Id] = (world.Has<Tag>(e) ? EntityKind.Agent : EntityKind.Particle, world.Get<Position>(e).X);
                expected.Add(now);
            }));
            pipeline.Add(Stages.Record, new Sim.Systems.Recording.RecordSystem(writer)
                .TrackEntities(new QueryDescription().WithAll<Tag>(), EntityKind.Agent)
                .TrackEntities(new QueryDescription().WithAll<Position>(), EntityKind.Particle)
                .TrackRaw<Position>("position", ["x", "y"]));
            pipeline.Run(60);
        }
        try
        {
            using var r = ReplayReader.Open(path);
            var sequential = new ReplayState(r.Header);
            var cursor = new ReplayCursor(r);
            foreach (var t in r.Ticks())
            {
                sequential.Apply(t);
                var want = expected[(int)t.Tick - 1];
                foreach (var state in new[] { sequential, cursor.Seek(t.Tick) })
                {
                    Assert.That(state.Entities.Keys, Is.EquivalentTo(want.Keys), $"tick {t.Tick}");
                    foreach (var (id, (kind, x)) in want)
                    {
                        Assert.That(state.Entities[id].Kind, Is.EqualTo(kind), $"tick {t.Tick} entity {id}");
                        Assert.That(state.Component("position")!.Get(id)[0], Is.EqualTo(x), $"tick {t.Tick} entity {id}");
                    }
                }
            }
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void DemoCommandRecordsAndTheReplayVerifies()
    {
        string path = TempPath("cli");
        try
        {
            var (code, output, err) = RunSim("demo", "--ticks", "40", "--entities", "200", "--out", path);
            Assert.That(code, Is.EqualTo(0), err);
            Assert.That(output, Does.Contain("replay written"));
            var v = RunSim("replay", "verify", path);
            Assert.That(v.Code, Is.EqualTo(0), v.Err);
            Assert.That(v.Out, Does.Contain("40 ticks"));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void SearchEventsBecomeTreeDeltasAndKeyframesRestateTrees()
    {
        string path = TempPath("search");
        try
        {
            SearchWorkload.Record(path, 130, agents: 2, options: new ReplayWriterOptions { ChunkTicks = 20 });
            using var r = ReplayReader.Open(path);
            var ticks = r.Ticks().ToList();
            Assert.That(ticks.Any(t => t.TreeNodes.Any(n => n.Chosen)), Is.True, "episodes mark their chosen path");
            Assert.That(ticks.SelectMany(t => t.Episodes).Count(), Is.GreaterThan(0));
            // Rebuild tick 75 two ways: from its chunk's keyframe (seek) and by applying every tick from the start.
            var sequential = new ReplayState(r.Header);
            foreach (var t in ticks.Where(t => t.Tick <= 75)) sequential.Apply(t);
            var seeked = new ReplayCursor(r).Seek(75);
            Assert.That(seeked.Trees.Keys, Is.EquivalentTo(sequential.Trees.Keys));
            foreach (var (agent, tree) in sequential.Trees)
            {
                Assert.That(seeked.Trees[agent].Keys, Is.EquivalentTo(tree.Keys));
                foreach (var (id, node) in tree)
                {
                    var s = seeked.Trees[agent][id];
                    Assert.That((s.Parent, s.Step, s.Visits, s.Value, s.Chosen), Is.EqualTo((node.Parent, node.Step, node.Visits, node.Value, node.Chosen)));
                }
            }
            var stats = ReplayStats.Compute(r);
            Assert.That(stats.Agents, Has.Count.EqualTo(2));
            Assert.That(stats.FinalMetrics.Keys, Does.Contain("loss"));
        }
        finally { File.Delete(path); }
    }
}
