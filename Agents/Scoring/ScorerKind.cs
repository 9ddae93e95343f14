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

    /// <summary>Bradley–Terry reward model (<c>bt</c>): a reward fitted to pairwise preferences, loss
    /// −log σ(r(chosen) − r(rejected)). Only differences of rewards are learned, so the score σ(r) ranks trajectories
    /// and is no probability.</summary>
    Preference = 3,

    /// <summary>Discriminator reward (<c>irl</c>): a classifier of demonstrations against the policy's own samples, whose
    /// logit is the reward (adversarial IRL with the policy held fixed); the score σ(r) is its estimate that a trajectory
    /// is a demonstration.</summary>
    Discriminator = 4,
}
