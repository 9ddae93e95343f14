namespace Sim.Agents.Data;

/// <summary>
/// One supervised example in TRL's prompt-completion format: the model sees <see cref="Prompt"/> and learns
/// <see cref="Completion"/>. In Sim's step protocol the prompt ends with a newline and the completion is one step per
/// line, each line ending with a newline, the last one being <c>Answer: ...</c>.
/// </summary>
/// <param name="Prompt">The problem text shown to the model.</param>
/// <param name="Completion">The reasoning trace the model learns to write.</param>
public sealed record PromptCompletion(string Prompt, string Completion);
