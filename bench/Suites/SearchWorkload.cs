using Sim.Engine;
using Sim.Replay;
using Sim.Systems;
using Sim.Systems.Recording;

namespace Sim.Bench.Suites;

/// <summary>
/// A synthetic stand-in for the search systems, used by the replay benchmark and the viewer's tests until the search
/// issue lands: a few agents each grow a search tree on an arithmetic task, one to three steps per tick, through
/// <see cref="ReplayEvents"/> exactly as a real search system would (node upserts, process rewards, episodes, metrics),
/// recorded by the real <see cref="RecordSystem"/>. Seeded, so the same seed gives the same replay.
/// </summary>
public static class SearchWorkload
{
    /// <summary>Components the workload records.</summary>
    public static ReplayHeader Header { get; } = new(ReplayFormat.CurrentVersion, 7, "bench", "search-workload", "{\"agents\":4}",
        [new ComponentSchema(0, "status", ["value"]), new ComponentSchema(1, "task", ["id"])], 0);

    /// <summary>Marks task entities.</summary>
    public struct TaskTag { public int Number; public float Status; }

    /// <summary>Marks agent entities.</summary>
    public struct AgentTag { public int Number; public float Task; }

    /// <summary>Records <paramref name="ticks"/> ticks of the workload with <paramref name="agents"/> agents to <paramref name="path"/>.</summary>
    /// <param name="path">Output replay.</param>
    /// <param name="ticks">Ticks to run.</param>
    /// <param name="agents">Agents, each with its own tree.</param>
    /// <param name="seed">World seed.</param>
    /// <param name="options">Writer options.</param>
    /// <param name="maxGrowth">Each agent adds 1..maxGrowth nodes per tick.</param>
    /// <param name="episodeNodes">An episode ends once its tree has episodeNodes..2*episodeNodes nodes.</param>
    public static void Record(string path, int ticks, int agents = 4, ulong seed = 7, ReplayWriterOptions? options = null, int maxGrowth = 3, int episodeNodes = 30)
    {
        using var world = World.Create(seed);
        using var writer = ReplayWriter.Create(path, Header with { Seed = seed }, options);
        var pipeline = Stages.NewPipeline(world).Add(Stages.SearchSelect, new GrowSystem(agents, maxGrowth, episodeNodes));
        pipeline.Add(Stages.Record, new RecordSystem(writer)
            .TrackEntities(new QueryDescription().WithAll<AgentTag>(), EntityKind.Agent, (w, e) => $"agent-{w.Get<AgentTag>(e).Number}")
            .TrackEntities(new QueryDescription().WithAll<TaskTag>(), EntityKind.Task, (w, e) => $"task-{w.Get<TaskTag>(e).Number}")
            .Track("status", ["value"], (in TaskTag t, Span<float> v) => v[0] = t.Status)
            .Track("task", ["id"], (in AgentTag a, Span<float> v) => v[0] = a.Task));
        pipeline.Run(ticks);
    }

    private static int _files;

    /// <summary>Records a workload to a temporary file and returns its tick records.</summary>
    public static List<TickRecord> Generate(int ticks, int agents = 4)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-search-{Environment.ProcessId}-{Interlocked.Increment(ref _files)}.replay");
        try
        {
            Record(path, ticks, agents);
            using var r = ReplayReader.Open(path);
            return r.Ticks().ToList();
        }
        finally { File.Delete(path); }
    }

    private sealed class Tree
    {
        public readonly List<(long Parent, int Depth, int Visits, float Value, float Reward)> Nodes = new();
        public Entity Task;
        public int A, B, Episode, Compute;
        public bool Done;
    }

    /// <summary>Grows every agent's tree; ends an episode after 30..60 nodes.</summary>
    private sealed class GrowSystem(int agents, int maxGrowth, int episodeNodes) : ISystem
    {
        private readonly List<(Entity Agent, Tree Tree)> _agents = new();
        private long _episodes, _solved;
        private double _rewardSum;

        public void Update(in TickContext tick)
        {
            var world = tick.World;
            var ev = world.Resources.Get<ReplayEvents>();
            var rng = world.Random.Stream("search-workload", (ulong)tick.Tick);
            if (_agents.Count == 0)
                for (int i = 0; i < agents; i++)
                {
                    var t = new Tree();
                    var agent = world.Create(new AgentTag { Number = i });
                    _agents.Add((agent, t));
                    NewTask(world, agent, t, ref rng, ev);
                }
            double loss = 0;
            foreach (var (agent, t) in _agents)
            {
                // An episode's last tick shows its chosen path and result; the next task starts a tick later.
                if (t.Done) { world.Commands.Destroy(t.Task); NewTask(world, agent, t, ref rng, ev); }
                int grow = 1 + rng.NextInt(maxGrowth);
                for (int g = 0; g < grow; g++)
                {
                    // Select a parent: prefer deep nodes with high value (a greedy-ish search).
                    int parent = t.Nodes.Count == 1 ? 0 : rng.NextInt(t.Nodes.Count);
                    var p = t.Nodes[parent];
                    float reward = MathF.Round(rng.NextFloat(), 2);
                    long id = t.Nodes.Count;
                    t.Nodes.Add((parent, p.Depth + 1, 1, reward, reward));
                    t.Compute += 20 + rng.NextInt(40);
                    int x = rng.NextInt(100);
                    ev.TreeNodes.Add(new TreeNodeRecord(agent.Id, id, parent, $"Step {p.Depth + 1}: {t.A} * {x} = {t.A * x}; carry on with {t.B - x}", 1, reward, reward, false));
                    ev.Rewards.Add(new RewardRecord(agent.Id, reward, RewardKind.Process, id));
                    // Back up visits and values along the path.
                    for (long n = parent; n >= 0; n = t.Nodes[(int)n].Parent)
                    {
                        var q = t.Nodes[(int)n];
                        q.Visits++;
                        q.Value += (reward - q.Value) / q.Visits;
                        t.Nodes[(int)n] = q;
                        ev.TreeNodes.Add(new TreeNodeRecord(agent.Id, n, q.Parent, null, q.Visits, q.Value, q.Reward, false));
                    }
                }
                loss += 1.0 / (1 + tick.Tick * 0.01) * (0.5 + rng.NextFloat());
                if (!t.Done && t.Nodes.Count >= episodeNodes + rng.NextInt(episodeNodes)) EndEpisode(world, agent, t, ref rng, ev, tick.Tick);
            }
            ev.Metrics.Add(new MetricRecord("loss", loss / _agents.Count));
            ev.Metrics.Add(new MetricRecord("reward", _episodes == 0 ? 0 : _rewardSum / _episodes));
            ev.Metrics.Add(new MetricRecord("solve_rate", _episodes == 0 ? 0 : (double)_solved / _episodes));
        }

        private void EndEpisode(World world, Entity agent, Tree t, ref Rng rng, ReplayEvents ev, long tick)
        {
            // Chosen path: from the best leaf back to the root.
            int best = 0;
            for (int i = 1; i < t.Nodes.Count; i++) if (t.Nodes[i].Value > t.Nodes[best].Value) best = i;
            for (long n = best; n >= 0; n = t.Nodes[(int)n].Parent)
            {
                var q = t.Nodes[(int)n];
                ev.TreeNodes.Add(new TreeNodeRecord(agent.Id, n, q.Parent, null, q.Visits, q.Value, q.Reward, true));
            }
            bool solved = rng.Chance(0.3 + 0.4 * Math.Min(1, tick / 2000.0));
            float reward = solved ? 1 : 0;
            _episodes++;
            if (solved) _solved++;
            _rewardSum += reward;
            ev.Rewards.Add(new RewardRecord(agent.Id, reward, RewardKind.Outcome));
            ev.Episodes.Add(new EpisodeRecord(agent.Id, _episodes, t.Task.Id, $"What is {t.A} * {t.B}?",
                $"{t.A} * {t.B} = {(solved ? t.A * t.B : t.A * t.B + 1)}", reward, solved, t.Compute));
            ref var task = ref world.Get<TaskTag>(t.Task);
            task.Status = solved ? 1 : -1;
            t.Done = true;
        }

        private static void NewTask(World world, Entity agent, Tree t, ref Rng rng, ReplayEvents ev)
        {
            t.Episode++;
            t.A = 10 + rng.NextInt(90);
            t.B = 10 + rng.NextInt(90);
            t.Compute = 0;
            t.Done = false;
            t.Task = world.Create(new TaskTag { Number = agent.Id * 1000 + t.Episode });
            world.Get<AgentTag>(agent).Task = t.Task.Id;
            t.Nodes.Clear();
            t.Nodes.Add((-1, 0, 1, 0, 0));
            ev.TreesCleared.Add(agent.Id);
            ev.TreeNodes.Add(new TreeNodeRecord(agent.Id, 0, -1, $"Problem: {t.A} * {t.B}", 1, 0, 0, false));
        }
    }
}
