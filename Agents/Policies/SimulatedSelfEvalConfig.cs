namespace Sim.Agents.Policies;

/// <summary>
/// The error model of a <see cref="SimulatedSelfEvaluator"/>. Kept apart from <see cref="SimulatedPolicyConfig"/> (the
/// policy's generation error model): a policy's skill at writing a step and at judging one are separate knobs.
/// </summary>
/// <param name="ErrorRate">e_self: the chance that a judgement is flipped (0: the policy always knows whether its line
/// is right, like an exact verifier; 0.5: its judgement is a coin toss and carries no information).</param>
/// <param name="Tokens">Tokens each judgement costs (the short verdict the policy writes; the question itself is a
/// prompt the simulated policy is not charged for, as it is not for its context when it proposes).</param>
public sealed record SimulatedSelfEvalConfig(double ErrorRate = 0.1, int Tokens = 2)
{
    /// <summary>Checks ranges; throws <see cref="ArgumentException"/> with the reason.</summary>
    public SimulatedSelfEvalConfig Validate()
    {
        if (!(ErrorRate >= 0 && ErrorRate <= 1)) throw new ArgumentException("self-evaluation ErrorRate must be in [0, 1]");
        if (Tokens < 0 || Tokens > 1_000_000) throw new ArgumentException("self-evaluation Tokens must be in 0..1000000");
        return this;
    }
}
