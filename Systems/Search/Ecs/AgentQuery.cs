using System.Diagnostics;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// The query every search system runs over agent entities, and the per-agent loop on top of the engine's slice
/// queries: each slice of agents runs on one core, the split is the engine's (<see cref="World.ParallelQuerySlices"/>),
/// and slice numbers follow entity order, so per-slice results joined in slice order do not depend on the thread count.
/// </summary>
public static class AgentQuery
{
    /// <summary>Agent entities: every component a <see cref="SearchAgent"/> view needs, and the reward buffers.</summary>
    public static readonly QueryDescription Agents = new QueryDescription()
        .WithAll<AgentEpisode, Budget, ComputeLedger, TreeHandle>()
        .WithAll<SearchState, TickWork, ProcessRewards, OutcomeRewards>();

    /// <summary>Per-agent work with its view; returns true when it worked on the agent (and the agent is charged the
    /// time).</summary>
    public delegate bool Body(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome);

    /// <summary>Per-agent work on one thread, in entity order.</summary>
    public delegate void Visit(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome);

    /// <summary>Work after a slice's bodies, per agent, with the slice's number.</summary>
    public delegate void After(SearchAgent agent, int slice);

    /// <summary>
    /// Runs <paramref name="body"/> for every agent, on every core, and charges each agent's ledger with the wall time
    /// of its work. One clock read per agent (the end of one agent's work is the start of the next's), not two: at a
    /// million lines a second the reads themselves were a few percent of the tick.
    /// <para>
    /// <paramref name="after"/>, when given, then runs for every agent of the slice (worked on or not) on the same
    /// thread, untimed, with the slice's number: work that must follow the body on the same agent, without a second
    /// parallel loop and its hand-off to the workers.
    /// </para>
    /// </summary>
    public static void ForTimed(World world, Body body, After? after = null)
    {
        var run = world.Resources.Get<SearchRun>();
        var trees = world.Resources.Get<TreeStore>();
        world.ParallelQuerySlices(Agents, (in QuerySlice s) =>
        {
            var cols = new Columns(s, trees, run);
            long last = Stopwatch.GetTimestamp();
            for (int i = 0; i < s.Length; i++)
            {
                if (body(cols.View(i), cols.Process[i], cols.Outcome[i]))
                {
                    long now = Stopwatch.GetTimestamp();
                    cols.Ledger[i].WallMs += (now - last) * MsPerTick;
                    last = now;
                }
            }
            // After the slice's bodies, so that no agent is charged for another's after-work without a second clock
            // read per agent.
            if (after is null) return;
            for (int i = 0; i < s.Length; i++) after(cols.View(i), s.Index);
        });
    }

    /// <summary>Runs <paramref name="body"/> for every agent on the calling thread, in entity order.</summary>
    public static void ForEach(World world, Visit body) => ForEach(world, null, body);

    /// <summary>
    /// Runs <paramref name="body"/>, on the calling thread in entity order, for every agent that
    /// <paramref name="filter"/> (given the agent's algorithm and tick work, before any view is made) lets through:
    /// a pass that touches a few agents costs little more than a scan of two columns.
    /// </summary>
    public static void ForEach(World world, Func<SearchAlgorithm, AgentWork, bool>? filter, Visit body)
    {
        var run = world.Resources.Get<SearchRun>();
        var trees = world.Resources.Get<TreeStore>();
        world.QuerySlices(Agents, (in QuerySlice s) =>
        {
            if (filter is not null)
            {
                var state = s.Get<SearchState>();
                var work = s.Get<TickWork>();
                int first = 0;
                while (first < s.Length && !filter(state[first].Algorithm, work[first].Work)) first++;
                if (first == s.Length) return;
                var cols = new Columns(s, trees, run);
                for (int i = first; i < s.Length; i++)
                    if (filter(state[i].Algorithm, work[i].Work)) body(cols.View(i), cols.Process[i], cols.Outcome[i]);
                return;
            }
            var all = new Columns(s, trees, run);
            for (int i = 0; i < s.Length; i++) body(all.View(i), all.Process[i], all.Outcome[i]);
        });
    }

    /// <summary>
    /// A view of agent entity <paramref name="agent"/> outside a system's query (tests, tools, the first tick of a
    /// custom loop). It points into the entity's chunk: make no structural change to the world while using it.
    /// </summary>
    public static SearchAgent View(World world, Entity agent) =>
        new(ref world.Get<AgentEpisode>(agent), ref world.Get<Budget>(agent), ref world.Get<ComputeLedger>(agent),
            world.Resources.Get<TreeStore>()[world.Get<TreeHandle>(agent)], world.Get<SearchState>(agent).Algorithm,
            world.Get<TickWork>(agent).Work, world.Resources.Get<SearchRun>());

    private static readonly double MsPerTick = 1000.0 / Stopwatch.Frequency;

    /// <summary>One slice's component columns.</summary>
    private readonly ref struct Columns(in QuerySlice s, TreeStore trees, SearchRun run)
    {
        public readonly Span<AgentEpisode> Episode = s.Get<AgentEpisode>();
        public readonly Span<Budget> Budget = s.Get<Budget>();
        public readonly Span<ComputeLedger> Ledger = s.Get<ComputeLedger>();
        public readonly Span<TreeHandle> Tree = s.Get<TreeHandle>();
        public readonly Span<SearchState> State = s.Get<SearchState>();
        public readonly Span<TickWork> Work = s.Get<TickWork>();
        public readonly Span<ProcessRewards> Process = s.Get<ProcessRewards>();
        public readonly Span<OutcomeRewards> Outcome = s.Get<OutcomeRewards>();

        public SearchAgent View(int i) =>
            new(ref Episode[i], ref Budget[i], ref Ledger[i], trees[Tree[i]], State[i].Algorithm, Work[i].Work, run);
    }
}
