namespace Sim.Systems.Search;

/// <summary>What a search run has done so far: finished episodes, solves, compute, and throughput counters.</summary>
public sealed class SearchMetrics
{
    /// <summary>Episodes that have ended.</summary>
    public long Episodes;

    /// <summary>Episodes whose committed answer was correct.</summary>
    public long Solved;

    /// <summary>Episodes that committed any answer.</summary>
    public long Answered;

    /// <summary>Compute spent by ended episodes, summed.</summary>
    public ComputeLedger Spent;

    /// <summary>Lines the policy proposed (all agents, ended episodes or not).</summary>
    public long Proposals;

    /// <summary>Nodes added to search trees (proposals merged into an existing node are not counted).</summary>
    public long Expansions;

    /// <summary>Batched policy calls made (one per distinct K per tick).</summary>
    public long BatchedPolicyCalls;

    /// <summary>Batched reward-model calls made.</summary>
    public long BatchedScorerCalls;

    /// <summary>Batched self-evaluation calls made.</summary>
    public long BatchedSelfEvalCalls;

    /// <summary>Lines the policy judged (self-evaluation), all agents.</summary>
    public long SelfEvaluations;

    /// <summary>Ticks run.</summary>
    public long Ticks;

    /// <summary>The per-episode outcomes in the order they ended: (agent index, solved, ledger).</summary>
    public List<(int Agent, bool Solved, ComputeLedger Ledger)> Outcomes { get; } = new();

    /// <summary>Solved / episodes, or 0 before any episode ended.</summary>
    public double SolveRate => Episodes > 0 ? (double)Solved / Episodes : 0;
}
