namespace Sim.Agents.Evaluation;

/// <summary>
/// The mistakes of the attempts <see cref="EpisodeSampler.Run"/> sampled, counted by kind; both arrays are indexed like
/// <see cref="EpisodeSampler.MistakeKinds"/>.
/// </summary>
/// <param name="First">For each kind, the attempts whose first mistake was of that kind.</param>
/// <param name="All">For each kind, every mistake of that kind (an attempt can make several).</param>
public sealed record EpisodeMistakes(long[] First, long[] All);
