using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// One solver working on one task: its problem, its search tree and algorithm, its budget and compute ledger, and its
/// episode status. Held by the <see cref="AgentComponent"/> of an agent entity. The search systems touch an agent from
/// one thread at a time; algorithms use <see cref="Request"/> in <c>search.select</c> and read
/// <see cref="NewNodes"/> in <c>search.backup</c>.
/// </summary>
public sealed class SearchAgent
{
    internal readonly List<Expansion> Requests = new();
    internal readonly List<int> Fresh = new();
    // Existing nodes whose statistics changed this tick other than through this tick's new nodes (see Touch).
    internal readonly List<int> Touched = new();
    internal readonly List<ProposedStep> Proposed = new();
    internal readonly List<PolicyContext> Contexts = new();
    // Where each request's proposals are in this tick's policy batches (filled by the policy stage, read by the environments stage).
    internal readonly List<(PolicySystem.Batch Batch, int Index)> Slots = new();
    internal bool Recorded;
    // The replay must clear this agent's tree next tick: a reader applies a tick's clears before its node records,
    // so clearing in the tick that also carries the finished tree's chosen path would mix the two trees.
    internal bool ClearPending;
    // The verdict table of the current problem (looked up once per episode) and this tick's cache lookups, added to
    // the shared counters once per tick.
    internal VerdictCache.Table? VerdictTable;
    internal int CacheHits, CacheMisses;
    // The episodes stage decided that the agent starts a task (NextTask, or one asked of the run on every core when the
    // run's assignment is per agent); search.select starts it. Retired: the run had no task left for it (per-agent
    // assignment only), so it is not asked again.
    internal (Problem Problem, ulong Seed) NextTask;
    internal bool StartPending, Retired;
    internal SearchRun? Run;
    // When the run is recorded: the completion of the episode this agent finished this tick, made on its own core in
    // the backup pass (SearchRecording.Emit); the episodes stage makes the episode record, in agent order.
    internal string? Completion;

    /// <summary>Makes an agent that runs <paramref name="algorithm"/>.</summary>
    public SearchAgent(int index, SearchAlgorithm algorithm, Budget budget, int maxDepth)
    {
        Index = index;
        Algorithm = algorithm;
        Budget = budget;
        MaxDepth = maxDepth;
    }

    /// <summary>The agent's index in the run (0-based, stable).</summary>
    public int Index { get; }

    /// <summary>The search algorithm (holds the per-agent search state).</summary>
    public SearchAlgorithm Algorithm { get; }

    /// <summary>The per-episode budget.</summary>
    public Budget Budget { get; set; }

    /// <summary>Trajectories longer than this many lines end as wrong (a guard against runaway chains).</summary>
    public int MaxDepth { get; }

    /// <summary>Memoized verdicts shared with the other agents of the run, or null to call the environment every time.</summary>
    public VerdictCache? Verdicts { get; set; }

    /// <summary>The environment of the current task.</summary>
    public IEnvironment Env { get; private set; } = null!;

    /// <summary>The current task.</summary>
    public Problem Problem { get; private set; } = null!;

    /// <summary>The seed of the current episode (keys every policy draw of the episode).</summary>
    public ulong EpisodeSeed { get; private set; }

    /// <summary>How many episodes this agent has started.</summary>
    public int Episodes { get; private set; }

    /// <summary>The search tree of the current episode.</summary>
    public SearchTree Tree { get; } = new();

    /// <summary>What the current episode has spent so far.</summary>
    public ComputeLedger Ledger;

    /// <summary>True once the episode has committed an answer (or given up).</summary>
    public bool Done { get; private set; }

    /// <summary>The committed answer node, or -1 when the agent gave no answer.</summary>
    public int FinalNode { get; private set; } = -1;

    /// <summary>True when the committed answer is correct (graded by the answer verifier).</summary>
    public bool Solved => FinalNode >= 0 && Tree[FinalNode].Correct;

    /// <summary>The committed answer's outcome reward: 1 or 0 where answers are verified exactly, the judge's score on
    /// <c>judge</c>; 0 without an answer.</summary>
    public double FinalReward => FinalNode < 0 ? 0 : Tree[FinalNode].Kind == NodeKind.Answer ? Tree[FinalNode].Reward : Tree[FinalNode].Correct ? 1 : 0;

    /// <summary>The tick the episode started on.</summary>
    public long StartTick { get; private set; }

    /// <summary>The nodes made for this agent in the current tick (filled by the environment stage).</summary>
    public IReadOnlyList<int> NewNodes => Fresh;

    /// <summary>True while the budget allows new work.</summary>
    public bool HasBudget => !Budget.Exhausted(Ledger);

    /// <summary>
    /// How many of <paramref name="k"/> wanted samples the budget still affords: all of them unless the budget is in
    /// policy calls, then at most what is left (at least 1, so a search never stalls while any budget remains).
    /// </summary>
    public int Affordable(int k) =>
        Budget.Unit == BudgetUnit.PolicyCalls ? (int)Math.Clamp(Math.Ceiling(Budget.Remaining(Ledger)), 1, k) : k;

    /// <summary>Starts an episode on <paramref name="problem"/>.</summary>
    public void Begin(IEnvironment env, Problem problem, ulong episodeSeed, long tick)
    {
        Env = env;
        Problem = problem;
        EpisodeSeed = episodeSeed;
        Episodes++;
        StartTick = tick;
        Ledger = default;
        Done = false;
        FinalNode = -1;
        Recorded = false;
        Requests.Clear();
        Fresh.Clear();
        Touched.Clear();
        Proposed.Clear();
        VerdictTable = Verdicts?.For(problem);
        Tree.Reset(env.Start(problem));
        Algorithm.Begin(this);
    }

    // Starts the task the episodes stage assigned (search.select, on the agent's own thread); false when there was none.
    internal bool StartAssigned(long tick)
    {
        StartPending = false;
        var run = Run!;
        if (run.ParallelNextProblem)
        {
            if (run.NextProblem(this, Episodes) is not { } next)
            {
                Retired = true;
                ClearPending = false;
                return false;
            }
            NextTask = next;
        }
        var task = NextTask;
        NextTask = default;
        Begin(run.Env, task.Problem, task.Seed, tick);
        return true;
    }

    /// <summary>
    /// Notes that the statistics (visits, value, reward) of the existing node <paramref name="node"/>, and of the path
    /// above it, changed this tick other than by backing up from this tick's new nodes: an MCTS simulation that
    /// re-visits an answer, an expansion whose lines all merged into existing children. A recorded run sends the path, so
    /// the replay shows the tree as it is; a backup from <see cref="NewNodes"/> needs no call.
    /// </summary>
    public void Touch(int node) => Touched.Add(node);

    /// <summary>
    /// Asks the policy for <paramref name="k"/> next lines after <paramref name="node"/> this tick. With
    /// <paramref name="merge"/>, a line equal to an existing child's is not added again (the child's sample count, its
    /// prior, grows instead): tree searches merge, independent-sample searches (best-of-N, voting) do not.
    /// </summary>
    public void Request(int node, int k, bool merge)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k));
        Requests.Add(new Expansion(node, k, merge, Tree[node].Expansions++));
    }

    /// <summary>Builds the policy context of each queued request (on the agent's own thread, before the batched call).</summary>
    internal void BuildContexts()
    {
        Contexts.Clear();
        foreach (var r in Requests)
        {
            ulong key = StableHash.Combine(StableHash.Combine(EpisodeSeed, (ulong)r.Node), (ulong)r.Ordinal);
            Contexts.Add(new PolicyContext(Env, Problem, Tree[r.Node].State, Tree.Lines(r.Node), key));
        }
    }

    /// <summary>Commits <paramref name="node"/> (a complete node, or -1 for no answer) and ends the episode.</summary>
    public void Commit(int node)
    {
        if (node >= 0 && !Tree[node].Complete) throw new InvalidOperationException("only a complete node can be committed");
        FinalNode = node;
        Done = true;
        Requests.Clear();
    }

    /// <summary>A request for children of a node.</summary>
    internal readonly record struct Expansion(int Node, int K, bool Merge, int Ordinal);
}
