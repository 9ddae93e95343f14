using Sim.Agents.Training;
using Sim.Environments;

namespace Sim.Systems.Learning;

/// <summary>
/// Seed ranges of a learning run's problems, disjoint from each other and from <c>sim data demos --seed s</c> (seeds
/// s·10^6 + i): training problems at 2^60 + seed·10^6 + i, held-out problems from <see cref="HeldOutSplit"/> (the
/// split <c>sim eval</c> and <c>sim train sft</c> evaluate on).
/// </summary>
public static class LearningProblems
{
    /// <summary>Training problem <paramref name="index"/> of run <paramref name="seed"/>.</summary>
    public static Problem Train(IEnvironment env, ulong seed, int difficulty, long index) =>
        env.Sample((1UL << 60) + seed * HeldOutSplit.SeedStride + (ulong)index, difficulty);

    /// <summary>The first <paramref name="count"/> held-out problems of run <paramref name="seed"/>.</summary>
    public static IReadOnlyList<Problem> HeldOut(IEnvironment env, ulong seed, int difficulty, int count) =>
        HeldOutSplit.Problems(env, difficulty, count, seed);
}
