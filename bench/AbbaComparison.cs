namespace Sim.Bench;

/// <summary>
/// Times a variant against a baseline in blocks of four runs: A B B A, then B A A B, in turn (A the baseline), after
/// some warm-up blocks whose runs are discarded. The figure is the ratio of the variant's mean wall time to the
/// baseline's (<see cref="Ratio"/>): for runs of a fixed number of ticks, the ratio of mean tick times.
/// <para>
/// Why this order: on the 2-core VM, identical runs one after another alternated between about a tenth faster and
/// slower (the garbage collector's budgets swing between two states from run to run), and the machine's speed drifts
/// over seconds. Within a block each variant gets one even and one odd place, so the alternation cancels, and so does
/// a linear drift; swapping the roles every other block gives each variant the outer and the inner places equally
/// often. Why the mean and not a median of per-round ratios: the rounds' ratios were bimodal (a run's garbage
/// collections flip between three and five), so their median jumped between the modes, 1.01 to 1.14 for one build.
/// </para>
/// </summary>
public sealed class AbbaComparison
{
    private readonly List<RunTime> _baseline = new(), _variant = new();
    private readonly List<double> _blocks = new();

    private AbbaComparison() { }

    /// <summary>The baseline's measured runs, in the order they ran.</summary>
    public IReadOnlyList<RunTime> Baseline => _baseline;

    /// <summary>The variant's measured runs, in the order they ran.</summary>
    public IReadOnlyList<RunTime> Variant => _variant;

    /// <summary>Each block's own ratio: the variant's two wall times over the baseline's two.</summary>
    public IReadOnlyList<double> BlockRatios => _blocks;

    /// <summary>Mean wall time of the variant over the baseline's.</summary>
    public double Ratio => _variant.Average(r => r.Wall) / _baseline.Average(r => r.Wall);

    /// <summary>Mean process CPU time of the variant over the baseline's.</summary>
    public double CpuRatio => _variant.Average(r => r.Cpu) / _baseline.Average(r => r.Cpu);

    /// <summary>Best wall time of the variant over the baseline's best.</summary>
    public double BestRatio => BestOf(_variant).Wall / BestOf(_baseline).Wall;

    /// <summary>The median of <see cref="BlockRatios"/>.</summary>
    public double BlockMedian => Quantile(_blocks, 0.5);

    /// <summary>The interquartile range of <see cref="BlockRatios"/>: how noisy the comparison is.</summary>
    public double BlockSpread => Quantile(_blocks, 0.75) - Quantile(_blocks, 0.25);

    /// <summary>The fastest of <paramref name="runs"/>.</summary>
    public static RunTime BestOf(IReadOnlyList<RunTime> runs) => runs.MinBy(r => r.Wall);

    /// <summary>
    /// Runs <paramref name="warmupBlocks"/> blocks, discarded, then <paramref name="blocks"/> measured blocks of
    /// <paramref name="baseline"/> and <paramref name="variant"/>; each call runs its workload once and returns its cost.
    /// </summary>
    public static AbbaComparison Run(Func<RunTime> baseline, Func<RunTime> variant, int blocks, int warmupBlocks = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupBlocks);
        var result = new AbbaComparison();
        for (int b = 0; b < warmupBlocks + blocks; b++)
        {
            // Even blocks A B B A, odd ones B A A B (counting the warm-up, which keeps the alternation going).
            bool baselineOutside = (b & 1) == 0;
            var outer = baselineOutside ? baseline : variant;
            var inner = baselineOutside ? variant : baseline;
            var o1 = outer();
            var i1 = inner();
            var i2 = inner();
            var o2 = outer();
            if (b < warmupBlocks) continue;
            var (bases, variants) = baselineOutside ? ((o1, o2), (i1, i2)) : ((i1, i2), (o1, o2));
            result._baseline.Add(bases.Item1);
            result._baseline.Add(bases.Item2);
            result._variant.Add(variants.Item1);
            result._variant.Add(variants.Item2);
            result._blocks.Add((variants.Item1.Wall + variants.Item2.Wall) / (bases.Item1.Wall + bases.Item2.Wall));
        }
        return result;
    }

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        double at = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(at), hi = (int)Math.Ceiling(at);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
    }
}
