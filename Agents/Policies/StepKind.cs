namespace Sim.Agents.Policies;

/// <summary>
/// What a line of a reasoning trace is, by its text (see <see cref="StepProtocol.Classify"/>). Every policy, demonstrator
/// and trained model in Sim writes lines in these forms, so a search system can route them without knowing who wrote them.
/// </summary>
public enum StepKind : byte
{
    /// <summary>An action for the environment's step verifier, e.g. <c>8 - 3 = 5</c>.</summary>
    Step = 0,

    /// <summary>The final answer: <c>Answer: (8-3)*4</c>; the text after the prefix goes to the answer verifier.</summary>
    Answer = 1,

    /// <summary>A thought that changes no state (analysis, planning, checking): a line starting with <c>#</c>.
    /// It costs tokens but is not sent to the verifier.</summary>
    Thought = 2,

    /// <summary>A self-correction: <c>Wait: ...</c>. It retracts the previous <see cref="Step"/> (the trajectory continues
    /// from the state before it).</summary>
    Correction = 3,
}
