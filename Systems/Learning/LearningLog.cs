namespace Sim.Systems.Learning;

/// <summary>What a learning run recorded, a world resource: one row per update, one per evaluation, and the levels
/// the curriculum chose.</summary>
public sealed class LearningLog
{
    /// <summary>One row per learning update.</summary>
    public List<UpdateRecord> Updates { get; } = [];

    /// <summary>One row per evaluation.</summary>
    public List<EvalRecord> Evals { get; } = [];

    /// <summary>One row per training round of the online reward model.</summary>
    public List<RewardModelRecord> RewardModel { get; } = [];

    /// <summary>Difficulty of each tick's problems, in tick order.</summary>
    public List<int> Levels { get; } = [];

    /// <summary>Episodes that reached the buffer (the ledger's total).</summary>
    public long EpisodesBuffered { get; set; }
}
