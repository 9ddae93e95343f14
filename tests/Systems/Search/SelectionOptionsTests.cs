using NUnit.Framework;
using Sim.Systems.Search;
using Sim.Tests.Cli;

namespace Sim.Tests.Systems.Search;

/// <summary>--prm-agg and --select: how scores combine and how a scored set becomes one answer, alike across searches.</summary>
public class SelectionOptionsTests
{
    [Test]
    public void AggregationReachesEverySearchThatRanksByScores()
    {
        var bon = (BestOfN)SearchAlgorithms.Create("bon", 8, Guidance.RewardModel, ScoreAggregation.Product)();
        Assert.That(bon.Config.Aggregation, Is.EqualTo(ScoreAggregation.Product));
        // An aggregation makes best-of-N score every step; without one it scores the answer only.
        Assert.That(((BestOfN)SearchAlgorithms.Create("bon", 8, Guidance.Verifier, ScoreAggregation.Min)()).ReadsVerifier(NodeKind.Step), Is.True);
        Assert.That(((BestOfN)SearchAlgorithms.Create("bon", 8, Guidance.Verifier)()).ReadsVerifier(NodeKind.Step), Is.False);
        var beam = (BeamSearch)SearchAlgorithms.Create("beam", 8, Guidance.RewardModel, ScoreAggregation.Mean)();
        Assert.That(beam.Config.Aggregation, Is.EqualTo(ScoreAggregation.Mean));
        Assert.That(((BeamSearch)SearchAlgorithms.Create("beam", 8, Guidance.RewardModel)()).Config.Aggregation, Is.EqualTo(ScoreAggregation.Min));
        var vote = (Voting)SearchAlgorithms.Create("vote", 8, null, ScoreAggregation.Last)();
        Assert.That((vote.Config.Rule, vote.Config.Aggregation), Is.EqualTo((VoteRule.Weighted, (ScoreAggregation?)ScoreAggregation.Last)));
        var weighted = (Voting)SearchAlgorithms.Create("bon", 8, Guidance.RewardModel, null, "weighted-vote")();
        Assert.That((weighted.Config.Rule, weighted.Config.Guidance), Is.EqualTo((VoteRule.Weighted, Guidance.RewardModel)));
        Assert.That(SearchAlgorithms.ParseAggregation("prod"), Is.EqualTo(ScoreAggregation.Product));
        Assert.Throws<FormatException>(() => SearchAlgorithms.ParseAggregation("max"));
        Assert.Throws<FormatException>(() => SearchAlgorithms.Create("mcts", 8, null, ScoreAggregation.Min));
        Assert.Throws<FormatException>(() => SearchAlgorithms.Create("beam", 8, null, null, "weighted-vote"));
    }

    [Test]
    public void TheCommandsTakeThem()
    {
        var (code, stdout, stderr) = CliTests.Run("scale", "--search", "bon,mcts", "--budget", "2", "--problems", "20", "--guidance", "rm", "--prm-agg", "mean", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("\"prm_agg\":\"mean\""));
        Assert.That(CliTests.Run("run", "--agents", "4", "--ticks", "3", "--search", "bon", "--select", "weighted-vote").code, Is.EqualTo(0));
        Assert.That(CliTests.Run("run", "--agents", "4", "--ticks", "3", "--prm-agg", "max").code, Is.EqualTo(2));
        Assert.That(CliTests.Run("scale", "--problems", "5", "--select", "top").code, Is.EqualTo(2));
    }
}
