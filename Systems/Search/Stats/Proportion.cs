namespace Sim.Systems.Search;

/// <summary>
/// A success count out of n trials with its 95% Wilson score interval (Wilson 1927), which stays inside [0, 1] and
/// behaves at 0 and n successes, unlike the normal approximation.
/// </summary>
/// <param name="Successes">Successes.</param>
/// <param name="Trials">Trials.</param>
public readonly record struct Proportion(long Successes, long Trials)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The observed rate (0 when there were no trials).</summary>
    public double Rate => Trials > 0 ? (double)Successes / Trials : 0;

    /// <summary>The Wilson interval's lower end.</summary>
    public double Low => Wilson(Z95).Low;

    /// <summary>The Wilson interval's upper end.</summary>
    public double High => Wilson(Z95).High;

    /// <summary>The Wilson score interval for a given z.</summary>
    public (double Low, double High) Wilson(double z)
    {
        if (Trials <= 0) return (0, 1);
        double n = Trials, p = Rate, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 or n successes the exact ends are 0 and 1; rounding must not move them.
        return (Successes == 0 ? 0 : Math.Max(0, centre - half), Successes == Trials ? 1 : Math.Min(1, centre + half));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Rate:P1} [{Low:P1}, {High:P1}] ({Successes}/{Trials})";
}
