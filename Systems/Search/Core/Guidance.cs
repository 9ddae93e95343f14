namespace Sim.Systems.Search;

/// <summary>
/// Where a search's signal comes from: the switch between internal and external guidance. Every algorithm that scores
/// nodes or candidates takes one.
/// </summary>
public enum Guidance : byte
{
    /// <summary>Internal: the policy's own confidence in each line (for the transformer, its token probabilities).</summary>
    Confidence = 0,

    /// <summary>External: the environment's verifier: process rewards for steps, the outcome reward for answers.</summary>
    Verifier = 1,

    /// <summary>External and exact: whether the task is still solvable from the node (<c>countdown</c>'s memoized oracle),
    /// and the outcome for complete answers. Falls back to <see cref="Verifier"/> where the environment cannot tell.</summary>
    Oracle = 2,

    /// <summary>External, learned: the reward model (PRM scores per step, ORM score for complete answers) or value model
    /// given to the run.</summary>
    RewardModel = 3,
}
