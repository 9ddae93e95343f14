using System.Collections.ObjectModel;
using NUnit.Framework;
using Sim.Agents.Policies;
using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Tests.Agents;

/// <summary>
/// The sampler behind the policy's confidence: q ~ Beta((1−ε)c, εc) drawn from ziggurat normals and exponentials
/// (Marsaglia–Tsang gammas) must have exactly the Beta distribution, and its outputs must be reproducible.
/// </summary>
public class SimulatedPolicySamplingTests
{
    private static readonly IEnvironment Env = new CountdownEnvironment();

    // Confidences of on-track first proposals (no thoughts), `calls` calls of k samples each.
    private static double[] Confidences(SimulatedPolicyConfig cfg, int calls = 50, int k = 4000)
    {
        var policy = new SimulatedPolicy(cfg);
        var p = Env.Sample(12345, 2);
        var ctx = new PolicyContext(Env, p, Env.Start(p), [], 1);
        var output = new ProposedStep[k];
        var result = new double[calls * k];
        for (int c = 0; c < calls; c++)
        {
            policy.Propose([ctx], k, output, (ulong)c + 100);
            for (int i = 0; i < k; i++) result[c * k + i] = output[i].Confidence;
        }
        return result;
    }

    [TestCase(0.1, 4.0)] // Beta(3.6, 0.4): the second shape is below 1 (boosted gamma)
    [TestCase(0.3, 3.0)] // Beta(2.1, 0.9)
    [TestCase(0.3, 1.0)] // Beta(0.7, 0.3): both boosted
    [TestCase(0.5, 8.0)] // Beta(4, 4)
    public void CalibratedConfidenceHasTheBetaDistribution(double eps, double conc)
    {
        var xs = Confidences(new SimulatedPolicyConfig(StepErrorRate: eps, ConfidenceConcentration: conc).Uniform());
        AssertBeta(xs, (1 - eps) * conc, eps * conc);
    }

    [TestCase(Calibration.OverConfident)]
    [TestCase(Calibration.UnderConfident)]
    public void MiscalibratedConfidenceIsAnExactPowerOfABetaDraw(Calibration calibration)
    {
        const double s = 2.5;
        var xs = Confidences(new SimulatedPolicyConfig(StepErrorRate: 0.2, ConfidenceConcentration: 3, Calibration: calibration, MiscalibrationStrength: s).Uniform(), calls: 20);
        // Over-confident reports q^(1/s), under-confident q^s: undo the power and q must be Beta(2.4, 0.6).
        double back = calibration == Calibration.OverConfident ? s : 1 / s;
        AssertBeta(xs.Select(x => Math.Pow(x, back)).ToArray(), 2.4, 0.6);
    }

    private static void AssertBeta(double[] xs, double a, double b)
    {
        int n = xs.Length;
        Assert.That(xs.All(x => x >= 0 && x <= 1), "confidences lie in [0, 1]");
        double mean = xs.Average(), var = xs.Select(x => (x - mean) * (x - mean)).Sum() / (n - 1);
        double m = a / (a + b), v = a * b / ((a + b) * (a + b) * (a + b + 1));
        Assert.That(mean, Is.EqualTo(m).Within(5 * Math.Sqrt(v / n)), "mean");
        Assert.That(var, Is.EqualTo(v).Within(0.03 * v), "variance");
        Array.Sort(xs);
        foreach (double x in new[] { 0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99 })
        {
            double expected = RegularizedBeta(x, a, b);
            int below = LowerBound(xs, x);
            double empirical = (double)below / n;
            double tol = 4.5 * Math.Sqrt(Math.Max(expected * (1 - expected), 1e-6) / n) + 1e-3;
            Assert.That(empirical, Is.EqualTo(expected).Within(tol), $"CDF at {x} of Beta({a}, {b})");
        }
    }

    private static int LowerBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    // I_x(a, b) by the continued fraction (Numerical Recipes' betacf) and a Lanczos log-gamma.
    private static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2) ? front * ContinuedFraction(x, a, b) / a : 1 - front * ContinuedFraction(1 - x, b, a) / b;
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 1000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < 1e-15) break;
        }
        return h;
    }

    private static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        double[] g = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        x -= 1;
        double s = 0.99999999999980993;
        for (int i = 0; i < g.Length; i++) s += g[i] / (x + i + 1);
        double t = x + g.Length - 0.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(s);
    }

    [Test]
    public void SameSeedGivesTheSameProposalsWhateverTheCollectionTypes()
    {
        var cfg = new SimulatedPolicyConfig(StepErrorRate: 0.3, ConfidenceConcentration: 2, Verbosity: 0.2, Repeat: 0.3, Reflection: 0.4).Uniform();
        var problems = Enumerable.Range(0, 30).Select(i => Env.Sample((ulong)i + 500, 2)).ToArray();
        var first = new SimulatedPolicy(cfg);
        // Traces of every kind: on track (plan prefixes, as lists), off track (an error, as arrays), retracted.
        var contexts = new List<PolicyContext>();
        for (int i = 0; i < 700; i++)
        {
            var p = problems[i % problems.Length];
            var plan = first.PlanOf(Env, p);
            var lines = plan.Take(i % plan.Count).ToList();
            IReadOnlyList<string> trace = (i % 3) switch
            {
                0 => lines,
                1 => lines.Append("1 + 1 = 3").ToArray(),
                _ => new ReadOnlyCollection<string>(lines.Append("2 + 2 = 5").Append("Wait: 2 + 2 = 5 is wrong").ToList()),
            };
            contexts.Add(new PolicyContext(Env, p, Env.Start(p), trace, (ulong)i));
        }
        const int k = 3;
        var a = new ProposedStep[contexts.Count * k];
        var b = new ProposedStep[contexts.Count * k];
        var c = new ProposedStep[contexts.Count * k];
        first.Propose(contexts, k, a, 99); // a list, split over cores (>= 512 contexts)
        new SimulatedPolicy(cfg).Propose(contexts.ToArray(), k, b, 99); // a fresh policy, an array
        new SimulatedPolicy(cfg).Propose(new ReadOnlyCollection<PolicyContext>(contexts), k, c, 99); // another list type
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.EqualTo(a));
        var d = new ProposedStep[contexts.Count * k];
        first.Propose(contexts, k, d, 100);
        Assert.That(d, Is.Not.EqualTo(a), "another seed, other proposals");
        Assert.That(a.Select(s => s.Kind).Distinct().Count(), Is.GreaterThanOrEqualTo(3), "steps, thoughts, corrections and answers were exercised");
    }
}
