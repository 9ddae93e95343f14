namespace Sim.Agents.Scoring;

/// <summary>What a scorer predicts.</summary>
public enum ScorerKind : byte
{
    /// <summary>Outcome reward model (ORM): the probability that the trajectory's final answer is correct.</summary>
    Outcome = 0,

    /// <summary>Process reward model (PRM): per step, the probability that the step is correct (valid and still on a path to a solution).</summary>
    Process = 1,

    /// <summary>Value head: per step, the expected outcome of the trajectory from there (trained on Monte-Carlo returns).</summary>
    Value = 2,
}
