using System.Text.Json;
using Sim.Engine;
using Sim.Environments;
using Sim.Replay;
using Sim.Systems.Recording;

namespace Sim.Systems.Search;

/// <summary>
/// How <c>sim run --out FILE</c> records a search run: agent entities with their compute ledgers, the run's metrics,
/// every search-tree node created or updated (prepared per agent in <see cref="SearchBackupSystem"/>'s pass, passed to
/// <see cref="ReplayEvents"/> by <see cref="EpisodeSystem"/>),
/// the chosen path of each finished episode, and the episodes themselves (prompt, completion, reward).
/// </summary>
public static class SearchRecording
{
    /// <summary>The replay header of a search run.</summary>
    public static ReplayHeader Header(ContinuousRunSpec spec, long ticks, string codeVersion) => new(
        ReplayFormat.CurrentVersion, spec.Seed, codeVersion, "search",
        JsonSerializer.Serialize(new
        {
            env = spec.Env.Name, difficulty = spec.Difficulty, policy = spec.Policy.Name, search = spec.Search,
            // A configured environment's settings (--env judge:length=...), so the replay says which judge it was.
            env_settings = spec.Env is IConfigurableEnvironment c ? c.Options.ToDictionary(o => o.Name, o => o.Value) : null,
            guidance = spec.Guidance?.ToString().ToLowerInvariant(), agents = spec.Agents, budget = spec.Budget.ToString(),
            max_depth = spec.MaxDepth, ticks,
        }),
        [new ComponentSchema(0, "ledger", ["tokens", "policy_calls", "rm_calls", "verifier_calls"])],
        ChunkTicks: 0);

    /// <summary>
    /// Adds a <see cref="RecordSystem"/> writing to <paramref name="writer"/> to a search <paramref name="pipeline"/>,
    /// and has <see cref="SearchBackupSystem"/> prepare each agent's tree records on its own core.
    /// </summary>
    public static RecordSystem AddTo(Pipeline pipeline, ReplayWriter writer)
    {
        var run = pipeline.World.Resources.Get<SearchRun>();
        if (run.Recorded) throw new InvalidOperationException("this search run is already recorded");
        run.ReplayRecords = new ReplayRanges();
        run.Recorded = true;
        var world = pipeline.World;
        var recorder = new RecordSystem(writer)
            .TrackEntities(AgentQuery.Agents, EntityKind.Agent, (w, e) => $"agent {w.Get<AgentEpisode>(e).Agent}")
            .Track("ledger", ["tokens", "policy_calls", "rm_calls", "verifier_calls"], (in ComputeLedger l, Span<float> v) =>
            {
                v[0] = l.Tokens; v[1] = l.PolicyCalls; v[2] = l.RewardModelCalls; v[3] = l.VerifierCalls;
            })
            .TrackMetrics(world =>
            {
                var m = world.Resources.Get<SearchRun>().Metrics;
                return
                [
                    new MetricRecord("episodes", m.Episodes), new MetricRecord("solved", m.Solved),
                    new MetricRecord("solve_rate", m.SolveRate), new MetricRecord("policy_lines", m.Proposals),
                    new MetricRecord("tree_nodes", m.Expansions),
                ];
            })
            // Keyframes restate the live trees: every change to a tree is recorded in its tick (TheReplayHoldsTheLiveTrees
            // checks it for every search kind), so the recorded trees are the live ones and need no copy of their own.
            .RestateTrees(into => AgentQuery.ForEach(world, (agent, _, _) => Restate(into, agent)))
            .Reading(typeof(AgentEpisode), typeof(TreeStore), typeof(SearchMetrics));
        pipeline.Add(Stages.Record, recorder);
        return recorder;
    }

    /// <summary>
    /// Writes <paramref name="agent"/>'s records of this tick into the buffer of its <paramref name="range"/> of agents
    /// (on the agent's core, in agent order): the clearing of its old tree when a new episode began, its tree changes;
    /// and the completion of its finished episode. <see cref="EpisodeSystem"/> passes them on in agent order.
    /// </summary>
    internal static void Emit(SearchAgent agent, int range)
    {
        agent.Work.Completion = null;
        ref var e = ref agent.Episode;
        // Assigned a task in the last episodes stage, not started yet (search.select starts it): its old tree was
        // recorded then, and its new one is cleared and sent once it exists.
        if (e.Status == EpisodeStatus.Assigned) return;
        var buffer = agent.Run.ReplayRecords![range];
        bool cleared = e.ClearPending;
        if (cleared)
        {
            // The episode that began this tick: drop the old tree, then send the new root with its text.
            buffer.Cleared.Add(agent.Index);
            e.ClearPending = false;
        }
        if (e.Problem is null) return;
        bool finished = e.Status == EpisodeStatus.Finished;
        if (agent.Fresh.Count > 0 || agent.Work.Touched.Count > 0 || finished || cleared)
            EmitTree(buffer.Nodes, agent, rootIsNew: cleared);
        if (finished) agent.Work.Completion = Completion(agent);
    }

    /// <summary>
    /// Writes this tick's tree changes of <paramref name="agent"/> into <paramref name="into"/>: its new nodes and
    /// their ancestors (whose statistics the backup changed), the paths it touched otherwise
    /// (<see cref="SearchAgent.Touch"/>), and, when the episode has ended, its chosen path.
    /// </summary>
    internal static void EmitTree(List<TreeNodeRecord> into, SearchAgent agent, bool rootIsNew)
    {
        // Called every tick for every agent with changes, on every core: the sets are stamp-marked arrays, one per
        // thread, reused across calls instead of three HashSets per call.
        var tree = agent.Tree;
        var s = _scratch ??= new Scratch();
        int stamp = s.Next(tree.Count);
        var path = s.Path;
        path.Clear();
        if (agent.Done && agent.FinalNode >= 0)
            for (int n = agent.FinalNode; n >= 0; n = tree[n].Parent) { s.Chosen[n] = stamp; path.Add(n); }
        // Text goes with every node created this tick, even when it is reached first as the ancestor of another new
        // node (a node and its child can both be new in one tick); older nodes send statistics only.
        foreach (int leaf in agent.Fresh) s.Fresh[leaf] = stamp;
        // A tree that began this tick: its root is new too (with the question as its text), and is sent even when no
        // step is.
        if (rootIsNew) s.Fresh[0] = stamp;
        // The paths above the new nodes, then those whose statistics changed without a new node below them
        // (SearchAgent.Touch); a path stops where an earlier one already went.
        foreach (var leaves in (ReadOnlySpan<List<int>>)[agent.Fresh, agent.Work.Touched])
        {
            foreach (int leaf in leaves)
            {
                for (int n = leaf; n >= 0 && s.Emitted[n] != stamp; n = tree[n].Parent)
                {
                    s.Emitted[n] = stamp;
                    into.Add(Record(agent, n, s.Fresh[n] == stamp, s.Chosen[n] == stamp));
                }
            }
        }
        if (rootIsNew && s.Emitted[0] != stamp) { s.Emitted[0] = stamp; into.Add(Record(agent, 0, true, s.Chosen[0] == stamp)); }
        foreach (int n in path)
            if (s.Emitted[n] != stamp) { s.Emitted[n] = stamp; into.Add(Record(agent, n, false, true)); }
    }

    [ThreadStatic] private static Scratch? _scratch;

    /// <summary>Node marks for <see cref="EmitTree"/>: a node is in a set when its entry equals the call's stamp.</summary>
    private sealed class Scratch
    {
        public int[] Chosen = new int[256], Emitted = new int[256], Fresh = new int[256];
        public readonly List<int> Path = new();
        private int _stamp;

        public int Next(int nodes)
        {
            if (nodes > Chosen.Length)
            {
                int n = Math.Max(nodes, Chosen.Length * 2);
                Chosen = new int[n]; Emitted = new int[n]; Fresh = new int[n];
                _stamp = 0;
            }
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(Chosen); Array.Clear(Emitted); Array.Clear(Fresh);
                _stamp = 1;
            }
            return _stamp;
        }
    }

    /// <summary>
    /// Appends every node of <paramref name="agent"/>'s tree as recorded so far, in node order, for a keyframe: the
    /// live tree of an agent that has had a task (an agent waiting to start its next one still shows its last tree,
    /// as the replay does until that tree is cleared), with the chosen path once the episode has ended.
    /// </summary>
    internal static void Restate(List<TreeNodeRecord> into, SearchAgent agent)
    {
        if (agent.Episode.Problem is null) return;
        var tree = agent.Tree;
        var s = _scratch ??= new Scratch();
        int stamp = s.Next(tree.Count);
        if (agent.Done)
            for (int n = agent.FinalNode; n >= 0; n = tree[n].Parent) s.Chosen[n] = stamp;
        into.EnsureCapacity(into.Count + tree.Count);
        for (int n = 0; n < tree.Count; n++) into.Add(Record(agent, n, withText: true, s.Chosen[n] == stamp));
    }

    private static TreeNodeRecord Record(SearchAgent agent, int n, bool withText, bool chosen)
    {
        ref var node = ref agent.Tree[n];
        return new TreeNodeRecord(agent.Index, n, node.Parent, withText ? (n == 0 ? agent.Problem.Question : node.Text) : null,
            node.Visits, (float)node.Q, (float)node.Reward, chosen);
    }

    /// <summary>The finished episode of <paramref name="agent"/> as a replay record.</summary>
    internal static EpisodeRecord Episode(in AgentEpisode agent, in ComputeLedger ledger, long episode, string completion) =>
        new(agent.Agent, episode, agent.Agent, agent.Problem!.Question, completion, (float)agent.Reward, agent.Solved, ledger.Tokens);

    /// <summary>The committed answer's lines, one per line, or "" when the agent committed none.</summary>
    internal static string Completion(SearchAgent agent) =>
        agent.FinalNode >= 0 ? string.Join("\n", agent.Tree.Lines(agent.FinalNode)) : "";
}
