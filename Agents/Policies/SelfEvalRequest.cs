namespace Sim.Agents.Policies;

/// <summary>One line to judge.</summary>
/// <param name="Context">What the policy saw before writing the line: the problem, the earlier lines, the state they
/// led to, and a key for the judgement's random draws (the node's).</param>
/// <param name="Line">The line to judge (a step or an <c>Answer:</c> line).</param>
/// <param name="Kind">The line's kind by the <see cref="StepProtocol"/>.</param>
public readonly record struct SelfEvalRequest(PolicyContext Context, string Line, StepKind Kind);
