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

    /// <summary>Internal: self-evaluation. The policy judges each of its own lines ("is this step correct?") through
    /// the run's <see cref="Sim.Agents.Policies.ISelfEvaluator"/>; each judgement costs a policy call and tokens. A
    /// judgement above ½ is a "yes": it accepts an answer (and stops the search, as a verified answer does), and a
    /// judgement of exactly 0 rejects a step (pruned, as a verifier's rejection is).</summary>
    SelfEval = 4,
}
