using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// A view of one agent entity's components, made by the search systems for the length of one call: its
/// <see cref="AgentEpisode"/>, <see cref="Search.Budget"/>, <see cref="ComputeLedger"/>, its tree (through
/// <see cref="TreeHandle"/>), its algorithm (<see cref="SearchState"/>) and its <see cref="TickWork"/>. Reads and
/// writes go straight to the components. Algorithms use <see cref="Request"/> in <c>search.select</c> and read
/// <see cref="NewNodes"/> in <c>search.backup</c>. A <c>ref struct</c>: it cannot outlive the query that made it.
/// </summary>
public readonly ref struct SearchAgent
{
    private readonly ref AgentEpisode _episode;
    private readonly ref Budget _budget;
    private readonly ref ComputeLedger _ledger;

    /// <summary>Makes a view over one agent's components.</summary>
    public SearchAgent(ref AgentEpisode episode, ref Budget budget, ref ComputeLedger ledger, SearchTree tree,
        SearchAlgorithm algorithm, AgentWork work, SearchRun run)
    {
        _episode = ref episode;
        _budget = ref budget;
        _ledger = ref ledger;
        Tree = tree;
        Algorithm = algorithm;
        Work = work;
        Run = run;
    }

    /// <summary>The agent's episode component.</summary>
    public ref AgentEpisode Episode => ref _episode;

    /// <summary>The agent's index in the run (0-based, stable).</summary>
    public int Index => _episode.Agent;

    /// <summary>The search algorithm (holds the per-agent search state).</summary>
    public SearchAlgorithm Algorithm { get; }

    /// <summary>The per-episode budget.</summary>
    public ref Budget Budget => ref _budget;

    /// <summary>What the current episode has spent so far.</summary>
    public ref ComputeLedger Ledger => ref _ledger;

    /// <summary>The run (environment, policy, models, shared counters).</summary>
    public SearchRun Run { get; }

    /// <summary>The agent's work of this tick.</summary>
    public AgentWork Work { get; }

    /// <summary>Trajectories longer than this many lines end as wrong (a guard against runaway chains).</summary>
    public int MaxDepth => Run.MaxDepth;

    /// <summary>The environment of the current task.</summary>
    public IEnvironment Env => Run.Env;

    /// <summary>The current task.</summary>
    public Problem Problem => _episode.Problem!;

    /// <summary>The seed of the current episode (keys every policy draw of the episode).</summary>
    public ulong EpisodeSeed => _episode.Seed;

    /// <summary>How many episodes this agent has started.</summary>
    public int Episodes => _episode.Count;

    /// <summary>The search tree of the current episode.</summary>
    public SearchTree Tree { get; }

    /// <summary>True once the episode has committed an answer (or given up), or before it starts.</summary>
    public bool Done => !_episode.Running;

    /// <summary>The committed answer node, or -1 when the agent gave no answer.</summary>
    public int FinalNode => _episode.FinalNode;

    /// <summary>True when the committed answer is correct (graded by the answer verifier).</summary>
    public bool Solved => _episode.Solved;

    /// <summary>The committed answer's outcome reward: 1 or 0 where answers are verified exactly, the judge's score on
    /// <c>judge</c>; 0 without an answer.</summary>
    public double FinalReward => _episode.Reward;

    /// <summary>The tick the episode started on.</summary>
    public long StartTick => _episode.StartTick;

    /// <summary>The nodes made for this agent in the current tick (filled by the environments stage), in creation order.</summary>
    public IReadOnlyList<int> NewNodes => Work.Fresh;

    /// <summary>The same nodes, as the list the algorithms iterate.</summary>
    internal List<int> Fresh => Work.Fresh;

    /// <summary>True while the budget allows new work.</summary>
    public bool HasBudget => !_budget.Exhausted(_ledger);

    /// <summary>
    /// How many of <paramref name="k"/> wanted samples the budget still affords: all of them unless the budget is in
    /// policy calls, then at most what is left (at least 1, so a search never stalls while any budget remains).
    /// </summary>
    public int Affordable(int k) =>
        _budget.Unit == BudgetUnit.PolicyCalls ? (int)Math.Clamp(Math.Ceiling(_budget.Remaining(_ledger)), 1, k) : k;

    /// <summary>Starts an episode of <paramref name="task"/> at <paramref name="tick"/>: resets the ledger, the tree (to
    /// the environment's start state) and the algorithm.</summary>
    public void Begin(in EpisodeTask task, long tick)
    {
        ref var e = ref _episode;
        e.Problem = task.Problem;
        e.Seed = task.Seed;
        e.Count++;
        e.StartTick = tick;
        e.Status = EpisodeStatus.Running;
        e.FinalNode = -1;
        e.Solved = false;
        e.Reward = 0;
        e.Gold = double.NaN;
        e.Faults = 0;
        if (task.Budget is { } b) _budget = b;
        _ledger = default;
        Work.Requests.Clear();
        Work.ClearTick();
        Work.VerdictTable = Run.Verdicts.For(task.Problem);
        Tree.Reset(Env.Start(task.Problem));
        Algorithm.Begin(this);
    }

    /// <summary>
    /// Notes that the statistics (visits, value, reward) of the existing node <paramref name="node"/>, and of the path
    /// above it, changed this tick other than by backing up from this tick's new nodes: an MCTS simulation that
    /// re-visits an answer, an expansion whose lines all merged into existing children. A recorded run sends the path, so
    /// the replay shows the tree as it is; a backup from <see cref="NewNodes"/> needs no call.
    /// </summary>
    public void Touch(int node) => Work.Touched.Add(node);

    /// <summary>
    /// Asks the policy for <paramref name="k"/> next lines after <paramref name="node"/> this tick. With
    /// <paramref name="merge"/>, a line equal to an existing child's is not added again (the child's sample count, its
    /// prior, grows instead): tree searches merge, independent-sample searches (best-of-N, voting) do not.
    /// </summary>
    public void Request(int node, int k, bool merge)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k));
        Work.Requests.Add(new AgentWork.Expansion(node, k, merge, Tree[node].Expansions++));
    }

    /// <summary>Builds the policy context of each queued request (on the agent's own thread, before the batched call).</summary>
    internal void BuildContexts()
    {
        var contexts = Work.Contexts;
        contexts.Clear();
        foreach (var r in Work.Requests)
        {
            ulong key = StableHash.Combine(StableHash.Combine(EpisodeSeed, (ulong)r.Node), (ulong)r.Ordinal);
            contexts.Add(new PolicyContext(Env, Problem, Tree[r.Node].State, Tree.Lines(r.Node), key));
        }
    }

    /// <summary>
    /// Commits <paramref name="node"/> (a complete node, or -1 for no answer) and ends the episode. The episode takes the
    /// node's grade and outcome reward as the search has them (the rewards of earlier ticks, folded into the tree).
    /// </summary>
    public void Commit(int node)
    {
        if (node >= 0 && !Tree[node].Complete) throw new InvalidOperationException("only a complete node can be committed");
        ref var e = ref _episode;
        e.FinalNode = node;
        e.Status = EpisodeStatus.Finished;
        if (node >= 0)
        {
            ref var n = ref Tree[node];
            e.Solved = n.Correct;
            e.Reward = n.Kind == NodeKind.Answer ? n.Reward : n.Correct ? 1 : 0;
            e.Gold = n.Gold;
        }
        Work.Requests.Clear();
    }
}
