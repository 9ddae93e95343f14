namespace Sim.Replay;

/// <summary>Totals over the episodes of one agent (or of all agents).</summary>
public sealed class AgentStats
{
    /// <summary>Agent entity id, or -1 for the overall row.</summary>
    public int Agent { get; init; }

    /// <summary>Agent label, if recorded.</summary>
    public string? Label { get; set; }

    /// <summary>Finished episodes.</summary>
    public long Episodes { get; private set; }

    /// <summary>Solved episodes.</summary>
    public long Solved { get; private set; }

    /// <summary>Sum of outcome rewards of finished episodes.</summary>
    public double RewardSum { get; private set; }

    /// <summary>Compute spent over finished episodes (tokens or expansions).</summary>
    public long Compute { get; private set; }

    /// <summary>Reward records of every kind given to the agent, finished episode or not.</summary>
    public long Rewards { get; set; }

    /// <summary>Mean outcome reward per episode (NaN without episodes).</summary>
    public double MeanReward => Episodes == 0 ? double.NaN : RewardSum / Episodes;

    /// <summary>Fraction of episodes solved (NaN without episodes).</summary>
    public double SolveRate => Episodes == 0 ? double.NaN : (double)Solved / Episodes;

    /// <summary>Mean compute per episode (NaN without episodes).</summary>
    public double ComputePerEpisode => Episodes == 0 ? double.NaN : (double)Compute / Episodes;

    internal void Add(EpisodeRecord e)
    {
        Episodes++;
        if (e.Solved) Solved++;
        RewardSum += e.Reward;
        Compute += e.Compute;
    }
}
