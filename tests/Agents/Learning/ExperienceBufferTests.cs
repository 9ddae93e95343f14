using Sim.Agents.Learning;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Tests.Agents.Learning;

public class ExperienceBufferTests
{
    private static Trajectory T(int version, int group)
    {
        var p = new Sim.Environments.Countdown.CountdownEnvironment().Sample(1, 1);
        return new Trajectory(version * 100 + group, p, "", [], [], new OutcomeReward(0, 1, VerdictKind.Ok, RewardSource.Verifier, true), version, group);
    }

    [Test]
    public void OnPolicyHandsEverythingOverOnce()
    {
        var b = new ExperienceBuffer(new BufferConfig());
        b.Add([T(0, 0), T(0, 1)]);
        var rng = new Rng(1);
        Assert.That(b.TakeBatch(0, ref rng), Has.Count.EqualTo(2));
        Assert.That(b.TakeBatch(0, ref rng), Is.Empty);
        Assert.That(b.LastMeanStaleness, Is.EqualTo(0));
    }

    [Test]
    public void ReplayDropsExperienceBeyondTheStalenessBoundAndRecordsStaleness()
    {
        var b = new ExperienceBuffer(new BufferConfig(BufferMode.Replay, MaxStaleness: 2));
        b.Add([T(0, 0), T(1, 0), T(2, 0), T(3, 0)]);
        var rng = new Rng(1);
        var batch = b.TakeBatch(4, ref rng);
        Assert.That(batch.Select(t => t.PolicyVersion), Is.EquivalentTo(new[] { 2, 3 }));
        Assert.That(b.Dropped, Is.EqualTo(2));
        Assert.That(b.LastMaxStaleness, Is.EqualTo(2));
        Assert.That(b.LastMeanStaleness, Is.EqualTo(1.5));
        // Replayed experience stays for the next update, and groups of different rounds get distinct indices.
        Assert.That(b.Count, Is.EqualTo(2));
        Assert.That(batch.Select(t => t.Group).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public void BadSettingsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ExperienceBuffer(new BufferConfig(MaxStaleness: -1)));
        Assert.Throws<ArgumentException>(() => new ExperienceBuffer(new BufferConfig(Capacity: 0)));
    }
}
