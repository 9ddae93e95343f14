using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Agents.Learning;

/// <summary>
/// One step of a trajectory as a learner sees it: the line written, the learner's own encoding of the context it was
/// written from (<see cref="Context"/>: token ids for the transformer, the candidate list for the tabular policy), the
/// units the policy chose (<see cref="Units"/>: the step's token ids, or the one candidate index) with their
/// behaviour log-probabilities, and the environment's verdict on it.
/// </summary>
/// <param name="Text">The line, without the delimiter.</param>
/// <param name="Kind">Step, thought, correction or answer.</param>
/// <param name="Context">Learner-specific encoding of the state the step was chosen in; opaque to the algorithms.</param>
/// <param name="Units">The chosen units: token ids (transformer) or one candidate index (tabular).</param>
/// <param name="BehaviourLogProbs">Log-probability of each unit under the policy that sampled it (temperature 1).</param>
/// <param name="Reward">The verifier's process reward (0 for an answer line; its outcome is on the trajectory).</param>
/// <param name="Verdict">The verifier's verdict on the step.</param>
/// <param name="Solvable">Whether the task could still be solved after the step, where the environment knows.</param>
/// <param name="EndsEpisode">The policy stopped after this line (its end token) without writing an answer.</param>
public sealed record ExperienceStep(
    string Text,
    StepKind Kind,
    object Context,
    int[] Units,
    float[] BehaviourLogProbs,
    double Reward,
    VerdictKind Verdict,
    Solvability Solvable,
    bool EndsEpisode = false)
{
    /// <summary>Sum of the behaviour log-probabilities (the step's sequence log-probability).</summary>
    public double LogProb => BehaviourLogProbs.Sum(x => (double)x);
}
