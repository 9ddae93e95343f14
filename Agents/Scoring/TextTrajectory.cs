using Sim.Agents.Demonstrators;
using Sim.Environments;

namespace Sim.Agents.Scoring;

/// <summary>
/// A trajectory as text: the prompt and the lines after it, each ended by the step delimiter when encoded. A reward model
/// reads <c>bos + prompt + lines</c>, the same tokens as for the <see cref="ScoringInput"/> of the same trajectory, so
/// a model trained on text rows (preference pairs, demonstrations) scores the search's nodes on the distribution it
/// learned.
/// </summary>
/// <param name="Prompt">The prompt (for an environment's problem, <see cref="DemoPrompt.For"/>).</param>
/// <param name="Lines">The lines; the reward is read at the last one.</param>
public readonly record struct TextTrajectory(string Prompt, IReadOnlyList<string> Lines)
{
    /// <summary>The text of an environment's trajectory.</summary>
    public static TextTrajectory Of(IEnvironment env, Problem problem, IReadOnlyList<string> lines) => new(DemoPrompt.For(env, problem), lines);

    /// <summary>
    /// A prompt/completion row (TRL's fields) as a trajectory: the completion split at newlines, without the empty text
    /// after a final newline. A completion without lines (empty) gives none.
    /// </summary>
    public static TextTrajectory Parse(string prompt, string completion)
    {
        var lines = completion.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return new TextTrajectory(prompt, lines);
    }
}
