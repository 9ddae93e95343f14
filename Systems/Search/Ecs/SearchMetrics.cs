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

    /// <summary>Outcome rewards of the committed answers, summed (0 for an episode without one).</summary>
    public double RewardSum;

    /// <summary>Gold rewards of the committed answers, summed over the episodes whose reward is a proxy (the judge).</summary>
    public double GoldSum;

    /// <summary>Episodes whose committed answer has a gold reward beside a proxy reward.</summary>
    public long GoldEpisodes;

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

    /// <summary>Verdicts that were an environment's own failure (an exception, a NaN or out-of-range reward).</summary>
    public long EnvironmentErrors;

    /// <summary>Ended episodes with at least one such verdict.</summary>
    public long FaultedEpisodes;

    /// <summary>The first such verdict's reason (it names the environment and the call), or null.</summary>
    public string? FirstEnvironmentError;

    /// <summary>Ticks run.</summary>
    public long Ticks;

    /// <summary>The per-episode outcomes in the order they ended: (agent index, solved, ledger).</summary>
    public List<(int Agent, bool Solved, ComputeLedger Ledger)> Outcomes { get; } = new();

    /// <summary>Solved / episodes, or 0 before any episode ended.</summary>
    public double SolveRate => Episodes > 0 ? (double)Solved / Episodes : 0;

    /// <summary>Mean outcome reward per ended episode (the proxy's score where the reward is a proxy), or 0 before any.</summary>
    public double MeanReward => Episodes > 0 ? RewardSum / Episodes : 0;

    /// <summary>Mean gold reward of the answers whose reward is a proxy; NaN when there are none (exact rewards).</summary>
    public double MeanGold => GoldEpisodes > 0 ? GoldSum / GoldEpisodes : double.NaN;
}
