namespace Sim.Systems.Search;

/// <summary>Analytic expectations the searches are tested against.</summary>
public static class ClosedForms
{
    /// <summary>Best-of-N with an exact verifier: the chance that at least one of N independent attempts succeeds, 1 − (1 − p)^N.</summary>
    public static double BestOfN(double p, int n) => 1 - Math.Pow(1 - p, n);

    /// <summary>
    /// Majority vote over N independent answers, each correct with probability p and otherwise one of m wrong answers
    /// with probability (1 − p)/m each, ties broken uniformly at random: the chance the vote is correct. Exact, by
    /// enumerating the count vectors (fine for N·m up to a few hundred).
    /// </summary>
    public static double MajorityVote(double p, int n, int m)
    {
        if (m < 1) return n > 0 ? 1 : 0;
        double q = (1 - p) / m;
        double total = 0;
        // c0 = correct votes; distribute the rest over m wrong answers.
        var counts = new int[m];
        for (int c0 = 0; c0 <= n; c0++)
        {
            double head = Binomial(n, c0) * Math.Pow(p, c0);
            total += head * Spread(n - c0, 0, counts, c0, q, m);
        }
        return total;
    }

    // Sum over ways to split `rest` votes among wrong answers idx..m-1 of P(split) · share of the win for the correct answer.
    private static double Spread(int rest, int idx, int[] counts, int c0, double q, int m)
    {
        if (idx == m - 1)
        {
            counts[idx] = rest;
            double prob = Math.Pow(q, SumCounts(counts)) * MultinomialTail(counts);
            int max = counts.Max();
            if (c0 < max) return 0;
            int ties = 1 + counts.Count(c => c == c0);
            return prob / ties;
        }
        double sum = 0;
        for (int c = 0; c <= rest; c++)
        {
            counts[idx] = c;
            sum += Spread(rest - c, idx + 1, counts, c0, q, m);
        }
        return sum;
    }

    private static int SumCounts(int[] counts) => counts.Sum();

    // (Σc)! / Π c_i! for the wrong answers' counts.
    private static double MultinomialTail(int[] counts)
    {
        double r = 1;
        int run = 0;
        foreach (int c in counts)
        {
            for (int i = 1; i <= c; i++) r *= (double)(run + i) / i;
            run += c;
        }
        return r;
    }

    /// <summary>The binomial coefficient C(n, k) as a double.</summary>
    public static double Binomial(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }
}
