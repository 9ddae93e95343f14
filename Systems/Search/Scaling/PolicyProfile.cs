using Sim.Agents.Evaluation;

namespace Sim.Systems.Search;

/// <summary>
/// <c>sim policy profile</c>: how a policy behaves before anyone trusts an experiment on it. It samples n independent
/// attempts on each of a set of problems (<see cref="EpisodeSampler"/>: one line per round, every line verified by the
/// environment), and reports pass@k with the unbiased estimator (Chen et al. 2021), the exponentiated power law fitted
/// to it, and the kinds of mistakes: <c>slip</c> (a step the verifier refutes),
/// <c>dead_end</c> (a valid step after which the task cannot be solved), <c>format</c> (a line the environment cannot
/// parse), <c>wrong_answer</c> (a well-formed final answer that is wrong) and <c>no_answer</c> (the depth limit).
/// </summary>
public static class PolicyProfile
{
    /// <summary>The kinds of mistakes, as reported (<see cref="EpisodeSampler.MistakeKinds"/>).</summary>
    public static IReadOnlyList<string> ErrorKinds => EpisodeSampler.MistakeKinds;

    /// <summary>Profiles <paramref name="spec"/>'s policy; <paramref name="progress"/> gets the share of problems done.</summary>
    public static PolicyProfileResult Run(PolicyProfileSpec spec, Action<double>? progress = null)
    {
        if (spec.Problems < 1) throw new ArgumentException("--problems must be >= 1");
        if (spec.Samples < 1 || spec.Samples > 1 << 16) throw new ArgumentException("--samples must be in 1..65536");
        spec.Env.Difficulty.Check(spec.Difficulty);
        var problems = SearchExperiment.SampleProblems(spec.Env, spec.Problems, spec.Difficulty, spec.Seed);
        var correct = new int[problems.Count];
        var mistakes = EpisodeSampler.Run(spec.Env, problems, spec.Policy, spec.Samples, spec.MaxDepth, spec.Seed,
            e => { if (e.Correct) correct[e.Problem]++; }, progress);

        var pass = new List<(int, double)>();
        for (int k = 1; k <= spec.Samples; k *= 2)
            pass.Add((k, correct.Average(c => SampleEval.PassAtK(spec.Samples, c, k))));
        var (a, b, r2) = FitPowerLaw(pass);
        return new PolicyProfileResult(pass, a, b, r2, Shares(mistakes.First), Shares(mistakes.All),
            correct.Average(c => (double)c / spec.Samples), correct.Count(c => c == 0) / (double)correct.Length);
    }

    private static Dictionary<string, double> Shares(long[] counts)
    {
        long total = Math.Max(1, counts.Sum());
        return ErrorKinds.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => counts[x.i] / (double)total);
    }

    /// <summary>
    /// Fits pass@k ≈ exp(a·k^b) by least squares on log(−log pass@k) = log(−a) + b·log k over the points with
    /// 0 &lt; pass@k &lt; 1; returns a, b and the fit's R² (NaN each with fewer than three such points).
    /// </summary>
    public static (double A, double B, double R2) FitPowerLaw(IReadOnlyList<(int K, double Pass)> points)
    {
        var xy = points.Where(p => p.Pass > 0 && p.Pass < 1).Select(p => (X: Math.Log(p.K), Y: Math.Log(-Math.Log(p.Pass)))).ToList();
        if (xy.Count < 3) return (double.NaN, double.NaN, double.NaN);
        double mx = xy.Average(p => p.X), my = xy.Average(p => p.Y);
        double sxx = xy.Sum(p => (p.X - mx) * (p.X - mx)), sxy = xy.Sum(p => (p.X - mx) * (p.Y - my)), syy = xy.Sum(p => (p.Y - my) * (p.Y - my));
        double b = sxy / sxx, intercept = my - b * mx;
        double ssRes = xy.Sum(p => Math.Pow(p.Y - (intercept + b * p.X), 2));
        double r2 = syy > 0 ? 1 - ssRes / syy : 1;
        return (-Math.Exp(intercept), b, r2);
    }
}
