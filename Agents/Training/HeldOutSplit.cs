using Sim.Environments;

namespace Sim.Agents.Training;

/// <summary>
/// The held-out problems of a seed: a range of problem seeds that training data never uses, so an evaluation (at the
/// end of training, or every few updates of a learning loop) measures problems the policy did not learn from.
/// <para><b>Seed layout.</b> Training problems of seed s are <c>s · SeedStride + i</c> (<c>sim data demos</c>, and the
/// training problems of <c>sim train rm</c>); held-out problems are <c>2^62 + s · SeedStride + i</c>. For every
/// s ≤ <see cref="MaxSeed"/> and i &lt; <see cref="SeedStride"/> the first range lies below 2^61 (where
/// <c>sim train rm</c> draws its own test problems) and the second at or above 2^62, so the two never share a seed.
/// Two different seeds can still give the same problem where an environment has few of them; callers that know their
/// training set exclude it (<c>sim train sft</c> drops the prompts of its data).</para>
/// </summary>
public static class HeldOutSplit
{
    /// <summary>Problems of seed s are drawn from seeds <c>s · SeedStride + i</c>, i &lt; SeedStride.</summary>
    public const ulong SeedStride = 1_000_000;

    /// <summary>The largest seed whose training and held-out ranges are disjoint (2^40 − 1).</summary>
    public const ulong MaxSeed = (1UL << 40) - 1;

    /// <summary>Where the held-out seeds begin: 2^62.</summary>
    public const ulong HeldOutBase = 1UL << 62;

    /// <summary>The seed of training problem <paramref name="i"/> of <paramref name="seed"/>.</summary>
    public static ulong TrainingSeed(ulong seed, ulong i) => seed * SeedStride + i;

    /// <summary>The seed of held-out problem <paramref name="i"/> of <paramref name="seed"/>.</summary>
    public static ulong HeldOutSeed(ulong seed, ulong i) => HeldOutBase + seed * SeedStride + i;

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="seed"/> exceeds <see cref="MaxSeed"/>.</summary>
    public static void CheckSeed(ulong seed)
    {
        if (seed > MaxSeed) throw new ArgumentException($"--seed must be at most {MaxSeed} (2^40 - 1) for held-out problems to be disjoint from training problems");
    }

    /// <summary>
    /// The first <paramref name="count"/> held-out problems of <paramref name="seed"/> at <paramref name="difficulty"/>,
    /// skipping those <paramref name="exclude"/> rejects; at most <c>50 · count</c> seeds (and never more than
    /// <see cref="SeedStride"/>) are tried, so fewer come back when the exclusion rejects nearly all. The same arguments give the same problems.
    /// </summary>
    public static List<Problem> Problems(IEnvironment env, int difficulty, int count, ulong seed, Func<Problem, bool>? exclude = null)
    {
        if (count < 0 || (ulong)count > SeedStride) throw new ArgumentException($"the held-out problem count must be in 0..{SeedStride}");
        CheckSeed(seed);
        env.Difficulty.Check(difficulty);
        var problems = new List<Problem>(count);
        ulong tries = Math.Min((ulong)count * 50, SeedStride);
        for (ulong i = 0; problems.Count < count && i < tries; i++)
        {
            var p = env.Sample(HeldOutSeed(seed, i), difficulty);
            if (exclude is null || !exclude(p)) problems.Add(p);
        }
        return problems;
    }
}
