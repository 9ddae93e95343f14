namespace Sim.Agents.Evaluation;

/// <summary>One finished attempt of <see cref="EpisodeSampler"/>.</summary>
/// <param name="Problem">The index of its problem in the sampled list.</param>
/// <param name="Sample">Its index among that problem's attempts (0 … samples − 1).</param>
/// <param name="Lines">The lines it wrote, every kind counted (steps, thoughts, corrections, the answer).</param>
/// <param name="Tokens">The sum of its lines' <see cref="Policies.ProposedStep.Tokens"/>.</param>
/// <param name="Answer">The text after <c>Answer:</c> of its answer line; null when it reached the depth limit unanswered.</param>
/// <param name="Correct">The environment accepted <paramref name="Answer"/>.</param>
public readonly record struct SampledEpisode(int Problem, int Sample, int Lines, int Tokens, string? Answer, bool Correct);
