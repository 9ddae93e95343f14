namespace Sim.Agents.Policies;

/// <summary>A self-evaluation's result.</summary>
/// <param name="Correct">The policy's probability, in [0, 1], that the line is correct (a step: valid and still on a
/// way to the answer; an answer: right).</param>
/// <param name="Tokens">Tokens the judgement cost (charged to the agent's ledger with one policy call).</param>
public readonly record struct SelfEvaluation(double Correct, int Tokens);
