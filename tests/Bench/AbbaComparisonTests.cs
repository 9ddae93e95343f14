using Sim.Bench;

namespace Sim.Tests.Bench;

public class AbbaComparisonTests
{
    /// <summary>
    /// A fake machine: a run's wall time is its workload's cost, times 1.1 on every other run (the VM's alternation),
    /// plus a drift that grows by a fixed step per run. Returns the two workloads and the log of which ran.
    /// </summary>
    private static (Func<RunTime> Baseline, Func<RunTime> Variant, List<char> Log) Machine(double baseCost, double variantCost, double drift)
    {
        var log = new List<char>();
        RunTime Run(char name, double cost)
        {
            int place = log.Count;
            log.Add(name);
            double wall = cost * (place % 2 == 0 ? 1.1 : 1.0) + drift * place;
            return new RunTime(wall, 2 * wall, place);
        }
        return (() => Run('A', baseCost), () => Run('B', variantCost), log);
    }

    [Test]
    public void RunsAbbaThenBaabWithWarmupDiscarded()
    {
        var (a, b, log) = Machine(1, 1, 0);
        var result = AbbaComparison.Run(a, b, blocks: 3, warmupBlocks: 1);
        Assert.That(new string(log.ToArray()), Is.EqualTo("ABBA" + "BAAB" + "ABBA" + "BAAB"));
        Assert.That(result.Baseline, Has.Count.EqualTo(6));
        Assert.That(result.Variant, Has.Count.EqualTo(6));
        Assert.That(result.BlockRatios, Has.Count.EqualTo(3));
        // The warm-up block's runs (places 0-3) are not among the measured ones.
        Assert.That(result.Baseline.Concat(result.Variant).Select(r => r.Gen0).Min(), Is.EqualTo(4));
    }

    [Test]
    public void AlternationAndLinearDriftCancel()
    {
        // Identical workloads on a machine that alternates by a tenth and slows steadily: the ratio is exactly 1.
        var (a, b, _) = Machine(1, 1, 0.01);
        var same = AbbaComparison.Run(a, b, blocks: 6, warmupBlocks: 1);
        Assert.That(same.Ratio, Is.EqualTo(1).Within(1e-12));
        Assert.That(same.BlockRatios, Is.All.EqualTo(1).Within(1e-12));
        Assert.That(same.BlockSpread, Is.EqualTo(0).Within(1e-12));

        // A variant 5 % dearer reads 1.05 in every block, whatever the alternation.
        var (a2, b2, _) = Machine(1, 1.05, 0);
        var dearer = AbbaComparison.Run(a2, b2, blocks: 4, warmupBlocks: 0);
        Assert.That(dearer.Ratio, Is.EqualTo(1.05).Within(1e-12));
        Assert.That(dearer.BlockMedian, Is.EqualTo(1.05).Within(1e-12));
        Assert.That(dearer.CpuRatio, Is.EqualTo(1.05).Within(1e-12));
    }

    [Test]
    public void BestRatioComparesTheFastestRuns()
    {
        var (a, b, _) = Machine(2, 3, 0);
        var result = AbbaComparison.Run(a, b, blocks: 2, warmupBlocks: 0);
        Assert.That(result.BestRatio, Is.EqualTo(1.5).Within(1e-12));
        Assert.That(AbbaComparison.BestOf(result.Baseline).Wall, Is.EqualTo(2).Within(1e-12));
    }

    [Test]
    public void RejectsNoBlocks()
    {
        var (a, b, _) = Machine(1, 1, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => AbbaComparison.Run(a, b, blocks: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AbbaComparison.Run(a, b, blocks: 1, warmupBlocks: -1));
    }
}
