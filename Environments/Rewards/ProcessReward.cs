namespace Sim.Environments;

/// <summary>
/// A reward for one step (not a final answer) of an agent's trace: what <see cref="IEnvironment.CheckStep"/> gave
/// (source <see cref="RewardSource.Verifier"/>), a process reward model's score, the policy's self-evaluation, or a
/// shaping term. Carried in the agent's <see cref="ProcessRewards"/> for the tick it was made in.
/// </summary>
/// <param name="Node">The step's node in the agent's search tree.</param>
/// <param name="Value">The reward: within the environment's process reward range for the verifier, [0, 1] for reward
/// models and self-evaluation, any finite value for shaping.</param>
/// <param name="Verdict">The verifier's verdict on the step (<see cref="VerdictKind.Ok"/> for other sources).</param>
/// <param name="Source">Who gave it.</param>
public readonly record struct ProcessReward(int Node, double Value, VerdictKind Verdict, RewardSource Source);
