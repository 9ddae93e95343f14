namespace Sim.Agents.Policies;

/// <summary>
/// The line protocol of reasoning traces: one line per step; <c>Answer: X</c> ends a trajectory; <c>#</c> lines are
/// thoughts; <c>Wait: ...</c> retracts the previous step. Anything else is a step for the environment.
/// </summary>
public static class StepProtocol
{
    /// <summary>The prefix of an answer line.</summary>
    public const string AnswerPrefix = "Answer: ";

    /// <summary>The prefix of a thought line.</summary>
    public const string ThoughtPrefix = "# ";

    /// <summary>The prefix of a correction line.</summary>
    public const string CorrectionPrefix = "Wait: ";

    /// <summary>The kind of a line.</summary>
    public static StepKind Classify(string line)
    {
        var t = line.AsSpan().TrimStart();
        if (t.StartsWith("Answer:", StringComparison.Ordinal)) return StepKind.Answer;
        if (t.StartsWith("#", StringComparison.Ordinal)) return StepKind.Thought;
        if (t.StartsWith("Wait:", StringComparison.Ordinal)) return StepKind.Correction;
        return StepKind.Step;
    }

    /// <summary>The answer text of an answer line (after <c>Answer:</c>, trimmed).</summary>
    public static string AnswerOf(string line)
    {
        var t = line.AsSpan().TrimStart();
        return t.StartsWith("Answer:", StringComparison.Ordinal) ? t[7..].Trim().ToString() : throw new ArgumentException("not an answer line");
    }

    /// <summary>
    /// The effective action steps of a trace: <see cref="StepKind.Step"/> lines, minus those retracted by a following
    /// correction, thoughts dropped. Stops at the first answer line.
    /// </summary>
    public static List<string> EffectiveSteps(IEnumerable<string> lines)
    {
        var steps = new List<string>();
        foreach (var line in lines)
        {
            switch (Classify(line))
            {
                case StepKind.Step: steps.Add(line.Trim()); break;
                case StepKind.Correction: if (steps.Count > 0) steps.RemoveAt(steps.Count - 1); break;
                case StepKind.Answer: return steps;
            }
        }
        return steps;
    }
}
