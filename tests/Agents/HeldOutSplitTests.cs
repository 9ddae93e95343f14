using Sim.Agents.Training;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents;

/// <summary>HeldOutSplit: deterministic, and its seeds never those of training problems.</summary>
public class HeldOutSplitTests
{
    private static readonly IEnvironment Env = new CountdownEnvironment();

    [Test]
    public void TheSplitIsFixedByTheSeed()
    {
        var a = HeldOutSplit.Problems(Env, 2, 50, 3);
        var b = HeldOutSplit.Problems(Env, 2, 50, 3);
        Assert.That(a, Has.Count.EqualTo(50));
        Assert.That(a.Select(p => p.Question), Is.EqualTo(b.Select(p => p.Question)));
        Assert.That(a.Select(p => p.Seed), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (ulong?)HeldOutSplit.HeldOutSeed(3, (ulong)i))));
        Assert.That(HeldOutSplit.Problems(Env, 2, 50, 4).Select(p => p.Question), Is.Not.EqualTo(a.Select(p => p.Question)), "another seed, another split");
        Assert.That(HeldOutSplit.Problems(Env, 2, 20, 3).Select(p => p.Question), Is.EqualTo(a.Take(20).Select(p => p.Question)), "a smaller split is a prefix");
    }

    [Test]
    public void HeldOutSeedsAreNeverTrainingSeeds()
    {
        // Training seeds of every allowed seed lie below 2^61 (sim train rm tests from 2^61), held-out ones at 2^62 and above.
        foreach (ulong seed in new ulong[] { 0, 1, 12345, HeldOutSplit.MaxSeed })
        {
            Assert.That(HeldOutSplit.TrainingSeed(seed, HeldOutSplit.SeedStride - 1), Is.LessThan(1UL << 61));
            Assert.That(HeldOutSplit.HeldOutSeed(seed, 0), Is.GreaterThanOrEqualTo(1UL << 62));
            Assert.That(HeldOutSplit.HeldOutSeed(seed, HeldOutSplit.SeedStride - 1), Is.GreaterThan(HeldOutSplit.HeldOutSeed(seed, 0)), "no wrap-around");
        }
        var training = Enumerable.Range(0, 1000).Select(i => HeldOutSplit.TrainingSeed(1, (ulong)i)).ToHashSet();
        Assert.That(HeldOutSplit.Problems(Env, 2, 200, 1).Select(p => p.Seed!.Value), Has.None.Matches<ulong>(training.Contains));
        Assert.Throws<ArgumentException>(() => HeldOutSplit.Problems(Env, 2, 10, HeldOutSplit.MaxSeed + 1));
        Assert.Catch<ArgumentException>(() => HeldOutSplit.Problems(Env, 99, 10, 1));
    }

    [Test]
    public void ExcludedProblemsAreSkipped()
    {
        var all = HeldOutSplit.Problems(Env, 2, 10, 1);
        var banned = all.Take(3).Select(p => p.Question).ToHashSet();
        var kept = HeldOutSplit.Problems(Env, 2, 10, 1, p => banned.Contains(p.Question));
        Assert.That(kept, Has.Count.EqualTo(10));
        Assert.That(kept.Select(p => p.Question), Has.None.Matches<string>(q => q is not null && banned.Contains(q)));
        Assert.That(HeldOutSplit.Problems(Env, 2, 10, 1, _ => true), Is.Empty, "at most 50 · count seeds are tried");
    }
}
