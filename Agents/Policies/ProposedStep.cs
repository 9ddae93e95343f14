namespace Sim.Agents.Policies;

/// <summary>One proposed next line.</summary>
/// <param name="Text">The line, without the newline.</param>
/// <param name="Kind">Its kind by the <see cref="StepProtocol"/>.</param>
/// <param name="LogProb">Log-probability of the line under the policy (for simulated policies, <c>ln Confidence</c>).</param>
/// <param name="Confidence">The policy's reported probability, in [0, 1], that the line is correct (for the
/// transformer, the geometric mean of its token probabilities).</param>
/// <param name="Tokens">Its length in tokens (the compute it cost).</param>
public readonly record struct ProposedStep(string Text, StepKind Kind, double LogProb, double Confidence, int Tokens);
