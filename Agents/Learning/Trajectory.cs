using Sim.Environments;

namespace Sim.Agents.Learning;

/// <summary>
/// A finished episode as experience: the problem and prompt, every step with its token ids and behaviour
/// log-probabilities, every process and outcome reward with its source, the policy version that produced it, and where
/// it sits among its siblings (<see cref="Group"/>: the trajectories drawn for the same problem in the same round, which
/// GRPO and RLOO normalise against, and which share the root of the search tree they were drawn from).
/// </summary>
/// <param name="Id">Episode id, unique within a run (the ledger key).</param>
/// <param name="Problem">The task.</param>
/// <param name="Prompt">The prompt text the policy saw.</param>
/// <param name="Steps">The steps in order, the answer line last when there is one.</param>
/// <param name="ProcessRewards">One per step (node = step index), from the verifier or another source.</param>
/// <param name="Outcome">The outcome reward (node = the last step); <see cref="OutcomeReward.Correct"/> is the verifier's.</param>
/// <param name="PolicyVersion">Version of the learner when the episode was sampled.</param>
/// <param name="Group">Index of the sibling group (same problem, same round).</param>
/// <param name="Hint">The answer given as a hint when the episode is a rationalisation (STaR), else null.</param>
public sealed record Trajectory(
    long Id,
    Problem Problem,
    string Prompt,
    IReadOnlyList<ExperienceStep> Steps,
    IReadOnlyList<ProcessReward> ProcessRewards,
    OutcomeReward Outcome,
    int PolicyVersion,
    int Group,
    string? Hint = null)
{
    /// <summary>Whether the verifier accepted the final answer.</summary>
    public bool Correct => Outcome.Correct;

    /// <summary>The scalar return: the outcome reward plus any shaping added to it.</summary>
    public double Return { get; init; } = double.NaN;

    /// <summary>The return used by the algorithms: <see cref="Return"/> when set (shaped), else the outcome value.</summary>
    public double Reward => double.IsNaN(Return) ? Outcome.Value : Return;

    /// <summary>Units (tokens, or choices for the tabular policy) written.</summary>
    public int Units => Steps.Sum(s => s.Units.Length);
}
