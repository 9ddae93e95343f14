using Sim.Environments;

namespace Sim.Systems.Learning;

/// <summary>
/// Seed ranges of a learning run's problems, disjoint from each other and from <c>sim data demos --seed s</c> (seeds
/// s·10^6 + i, s &lt; 2^40): training problems at 2^60 + seed·10^6 + i, held-out problems at 2^62 + seed·10^6 + i (the
/// range <c>sim train sft</c> evaluates on).
/// </summary>
public static class LearningProblems
{
    private const ulong Stride = 1_000_000;

    /// <summary>Training problem <paramref name="index"/> of run <paramref name="seed"/>.</summary>
    public static Problem Train(IEnvironment env, ulong seed, int difficulty, long index) =>
        env.Sample((1UL << 60) + seed * Stride + (ulong)index, difficulty);

    /// <summary>The first <paramref name="count"/> held-out problems of run <paramref name="seed"/>.</summary>
    public static Problem[] HeldOut(IEnvironment env, ulong seed, int difficulty, int count) =>
        Enumerable.Range(0, count).Select(i => env.Sample((1UL << 62) + seed * Stride + (ulong)i, difficulty)).ToArray();
}
