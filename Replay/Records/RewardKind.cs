namespace Sim.Replay;

/// <summary>Which kind of reward a <see cref="RewardRecord"/> is.</summary>
public enum RewardKind : byte
{
    /// <summary>Reward for a final answer.</summary>
    Outcome = 0,

    /// <summary>Reward for one reasoning step (a process reward).</summary>
    Process = 1,

    /// <summary>A learned reward model's score.</summary>
    Model = 2,
}
