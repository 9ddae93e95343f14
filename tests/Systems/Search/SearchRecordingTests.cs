using NUnit.Framework;
using Sim.Engine;
using Sim.Environments;
using Sim.Replay;
using Sim.Systems.Search;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Systems.Search;

/// <summary>The replay of a real search run (<c>sim run --out</c>): tree deltas, keyframes, and no effect on the run.</summary>
public class SearchRecordingTests
{
    private const int Agents = 24, Ticks = 90;
    private const ulong Seed = 7;

    private static ContinuousRunSpec Spec(string search, Guidance? guidance = null, string budget = "attempts:4")
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        return new ContinuousRunSpec(env, env.Difficulty.Default, PolicySpec.Parse("simulated:skill=0.3"), ScorerSpec.Parse("simulated", Seed),
            search, guidance, Agents, RunBudget.Parse(budget), Seed);
    }

    private static SearchMetrics Run(string search, string? path, ReplayWriterOptions? options = null)
    {
        var spec = Spec(search);
        using var world = World.Create(Seed);
        var pipeline = ContinuousRun.Build(world, spec);
        using (var writer = path is null ? null : ReplayWriter.Create(path, SearchRecording.Header(spec, Ticks, "test"), options))
        {
            if (writer is not null) SearchRecording.AddTo(pipeline, writer);
            pipeline.Run(Ticks);
        }
        return world.Resources.Get<SearchRun>().Metrics;
    }

    [Test]
    public void ARunIsRecordedOnce()
    {
        var spec = Spec("mcts");
        using var world = World.Create(Seed);
        var pipeline = ContinuousRun.Build(world, spec);
        Assert.That(world.Resources.Get<SearchRun>().Recorded, Is.False);
        string a = TempPath("once-a"), b = TempPath("once-b");
        try
        {
            using var first = ReplayWriter.Create(a, SearchRecording.Header(spec, 1, "test"));
            using var second = ReplayWriter.Create(b, SearchRecording.Header(spec, 1, "test"));
            SearchRecording.AddTo(pipeline, first);
            Assert.That(world.Resources.Get<SearchRun>().Recorded, Is.True);
            // A second recorder would share the agents' per-tick buffers with the first.
            Assert.Throws<InvalidOperationException>(() => SearchRecording.AddTo(pipeline, second));
        }
        finally { File.Delete(a); File.Delete(b); }
    }

    [TestCase("mcts")]
    [TestCase("beam")]
    [TestCase("revise")]
    public void RecordingDoesNotChangeTheRun(string search)
    {
        string path = TempPath("search-run");
        try
        {
            var plain = Run(search, null);
            var recorded = Run(search, path);
            Assert.That((recorded.Episodes, recorded.Solved, recorded.Expansions, recorded.Proposals),
                Is.EqualTo((plain.Episodes, plain.Solved, plain.Expansions, plain.Proposals)));
            Assert.That(plain.Episodes, Is.GreaterThan(Agents), "several episodes per agent");
            using var r = ReplayReader.Open(path);
            Assert.That(r.Ticks().Sum(t => t.Episodes.Count), Is.EqualTo(plain.Episodes), "every episode is recorded once");
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void EachNodeIsSentAtMostOncePerTick()
    {
        // Regression: the spawn stage used to send the last tick's new nodes again, with their old statistics.
        string path = TempPath("search-run");
        try
        {
            Run("mcts", path);
            using var r = ReplayReader.Open(path);
            foreach (var t in r.Ticks())
            {
                var keys = t.TreeNodes.Select(n => (n.Agent, n.Node)).ToList();
                Assert.That(keys.Distinct().Count(), Is.EqualTo(keys.Count), $"tick {t.Tick}");
            }
        }
        finally { File.Delete(path); }
    }

    [TestCase("mcts")]
    [TestCase("beam")]
    [TestCase("revise")]
    public void KeyframesRestateTheTreesThatTheDeltasBuilt(string search)
    {
        // Keyframes come from each agent's own mirror (kept in the backup pass); seeking to any tick must give what playing
        // every tick from the start gives.
        string path = TempPath("search-run");
        try
        {
            Run(search, path, new ReplayWriterOptions { ChunkTicks = 7 });
            using var r = ReplayReader.Open(path);
            var ticks = r.Ticks().ToList();
            Assert.That(ticks.Count(t => t.Keyframe), Is.GreaterThan(10));
            var sequential = new ReplayState(r.Header);
            var cursor = new ReplayCursor(r);
            int compared = 0;
            foreach (var t in ticks)
            {
                sequential.Apply(t);
                if (!t.Keyframe && t.Tick % 5 != 0) continue;
                var seeked = cursor.Seek(t.Tick);
                Assert.That(Snapshot(seeked), Is.EqualTo(Snapshot(sequential)), $"tick {t.Tick}");
                compared++;
            }
            Assert.That(compared, Is.GreaterThan(20));
            Assert.That(sequential.Trees.Values.Sum(tree => tree.Count), Is.GreaterThan(Agents), "trees were recorded");
        }
        finally { File.Delete(path); }
    }

    [TestCase("mcts", null, "attempts:4")]
    [TestCase("mcts", Guidance.Confidence, "attempts:16")]
    [TestCase("mcts-rollout", Guidance.Confidence, "attempts:16")]
    [TestCase("beam", null, "attempts:4")]
    [TestCase("revise", null, "attempts:4")]
    [TestCase("bon", null, "attempts:8")]
    [TestCase("vote", null, "attempts:8")]
    [TestCase("hybrid", null, "attempts:8")]
    public void TheReplayHoldsTheLiveTrees(string search, Guidance? guidance, string budget)
    {
        // Every change to a tree is recorded in its tick: after any tick, the recorded trees are the agents' live
        // trees (visit counts, values, rewards), not an older state of them.
        var spec = Spec(search, guidance, budget);
        string path = TempPath("live-trees");
        try
        {
            using var world = World.Create(Seed);
            var pipeline = ContinuousRun.Build(world, spec);
            var run = world.Resources.Get<SearchRun>();
            var live = new List<List<string>>();
            using (var writer = ReplayWriter.Create(path, SearchRecording.Header(spec, Ticks, "test"), new ReplayWriterOptions { ChunkTicks = 7 }))
            {
                SearchRecording.AddTo(pipeline, writer);
                for (int t = 0; t < Ticks; t++)
                {
                    pipeline.Run(1);
                    var nodes = new List<string>();
                    AgentQuery.ForEach(world, (a, _, _) =>
                    {
                        if (a.Episode.Problem is null) return;
                        for (int n = 0; n < a.Tree.Count; n++) nodes.Add($"{a.Index}/{n}: {a.Tree[n].Visits} {(float)a.Tree[n].Q} {(float)a.Tree[n].Reward}");
                    });
                    live.Add(nodes);
                }
            }
            using var r = ReplayReader.Open(path);
            var state = new ReplayState(r.Header);
            int tick = 0;
            foreach (var t in r.Ticks())
            {
                state.Apply(t);
                var recorded = state.Trees.Where(kv => kv.Value.Count > 0).OrderBy(kv => kv.Key)
                    .SelectMany(kv => kv.Value.OrderBy(n => n.Key).Select(n => $"{kv.Key}/{n.Key}: {n.Value.Visits} {n.Value.Value} {n.Value.Reward}"))
                    .ToList();
                Assert.That(recorded, Is.EqualTo(live[tick]), $"tick {t.Tick}");
                tick++;
            }
            Assert.That(tick, Is.EqualTo(Ticks));
            Assert.That(live.Sum(l => l.Count), Is.GreaterThan(Ticks * Agents), "trees were compared");
        }
        finally { File.Delete(path); }
    }

    private static List<string> Snapshot(ReplayState s) =>
        s.Trees.Where(kv => kv.Value.Count > 0).OrderBy(kv => kv.Key)
            .SelectMany(kv => kv.Value.OrderBy(n => n.Key).Select(n =>
                $"{kv.Key}/{n.Key}: {n.Value.Parent} '{n.Value.Step}' {n.Value.Visits} {n.Value.Value} {n.Value.Reward} {n.Value.Chosen}"))
            .ToList();
}
