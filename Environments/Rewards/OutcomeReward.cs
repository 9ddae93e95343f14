namespace Sim.Environments;

/// <summary>
/// A reward for a final answer: what <see cref="IEnvironment.CheckAnswer"/> gave (source
/// <see cref="RewardSource.Verifier"/>, or <see cref="RewardSource.Judge"/> where a judge grades answers), an outcome
/// reward model's score, the policy's self-evaluation, or a shaping term. Carried in the agent's
/// <see cref="OutcomeRewards"/> for the tick it was made in.
/// </summary>
/// <param name="Node">The answer's node in the agent's search tree.</param>
/// <param name="Value">The outcome reward (the judge's score for a judge; 1 or 0 for an exact verifier).</param>
/// <param name="Verdict">The verifier's verdict (<see cref="VerdictKind.Ok"/> for other sources).</param>
/// <param name="Source">Who gave it.</param>
/// <param name="Correct">The answer verifier's grade (false for sources that do not grade).</param>
/// <param name="Gold">The gold reward beside a proxy (the judge's hidden true quality); NaN where the reward is exact
/// or the source is not the environment.</param>
public readonly record struct OutcomeReward(int Node, double Value, VerdictKind Verdict, RewardSource Source, bool Correct = false, double Gold = double.NaN);
