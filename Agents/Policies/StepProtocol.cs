using System.Runtime.CompilerServices;

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StepKind Classify(string line)
    {
        // The first character decides; leading white space is skipped first (rare, so off the fast path).
        var t = line.AsSpan();
        if (t.Length > 0 && char.IsWhiteSpace(t[0])) t = t.TrimStart();
        if (t.Length == 0) return StepKind.Step;
        return t[0] switch
        {
            'A' when t.StartsWith("Answer:", StringComparison.Ordinal) => StepKind.Answer,
            '#' => StepKind.Thought,
            'W' when t.StartsWith("Wait:", StringComparison.Ordinal) => StepKind.Correction,
            _ => StepKind.Step,
        };
    }

    /// <summary>The answer text of an answer line (after <c>Answer:</c>, trimmed).</summary>
    public static string AnswerOf(string line)
    {
        var t = line.AsSpan().TrimStart();
        return t.StartsWith("Answer:", StringComparison.Ordinal) ? t[7..].Trim().ToString() : throw new ArgumentException("not an answer line");
    }

    /// <summary>An answer's vote key: its text without whitespace, lower-cased (<c>"(8 - 3) * 4"</c> and <c>"(8-3)*4"</c> agree).</summary>
    public static string AnswerKey(string answer)
    {
        Span<char> buf = answer.Length <= 256 ? stackalloc char[answer.Length] : new char[answer.Length];
        int w = 0;
        foreach (char ch in answer) if (!char.IsWhiteSpace(ch)) buf[w++] = char.ToLowerInvariant(ch);
        return new string(buf[..w]);
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
