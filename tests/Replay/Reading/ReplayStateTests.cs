using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay;

public class ReplayStateTests
{
    [Test]
    public void AnEndedEpisodeIsItsAgentsLatestReward()
    {
        var state = new ReplayState(Header());
        var t1 = new TickRecord { Tick = 1, Keyframe = true };
        t1.Rewards.Add(new RewardRecord(4, 0.25f, RewardKind.Process));
        state.Apply(t1);
        Assert.That(state.LastReward[4], Is.EqualTo(0.25f));

        // Search runs record outcomes as episodes: the viewer colours agents by them.
        var t2 = new TickRecord { Tick = 2 };
        t2.Episodes.Add(new EpisodeRecord(4, 0, 4, "prompt", "completion", 1f, true, 12));
        state.Apply(t2);
        Assert.That(state.LastReward[4], Is.EqualTo(1f));
        Assert.That(state.EpisodesThisTick, Has.Count.EqualTo(1));
    }
}
