using Sim.Agents.Policies;

namespace Sim.Agents.Evaluation;

/// <summary>
/// <c>sim eval</c>: samples n = max(k) independent attempts of a policy on each problem (<see cref="EpisodeSampler"/>)
/// and reports, for each k, pass@k with the unbiased estimator (Chen et al. 2021) and maj@k (self-consistency, Wang et
/// al. 2022, over the first k attempts), with the mean tokens and lines per attempt. A learning loop can call it on
/// the same <see cref="Training.HeldOutSplit"/> every few updates.
/// </summary>
public static class SampleEval
{
    /// <summary>Evaluates <paramref name="spec"/>'s policy; <paramref name="progress"/> gets the share of problems done.</summary>
    public static SampleEvalResult Run(SampleEvalSpec spec, Action<double>? progress = null)
    {
        if (spec.Problems.Count < 1) throw new ArgumentException("evaluation needs at least one problem");
        if (spec.Ks.Count < 1 || spec.Ks.Any(k => k < 1)) throw new ArgumentException("every k must be >= 1");
        var ks = spec.Ks.Distinct().Order().ToArray();
        int n = ks[^1];
        var pass = new double[ks.Length];
        var majority = new double[ks.Length];
        long tokens = 0, lines = 0;
        // A problem's attempts arrive together and in order: score it when its last one does.
        var answers = new (string? Answer, bool Correct)[n];
        int correct = 0;
        EpisodeSampler.Run(spec.Env, spec.Problems, spec.Policy, n, spec.MaxDepth, spec.Seed, e =>
        {
            answers[e.Sample] = (e.Answer, e.Correct);
            if (e.Correct) correct++;
            tokens += e.Tokens;
            lines += e.Lines;
            if (e.Sample < n - 1) return;
            for (int i = 0; i < ks.Length; i++)
            {
                pass[i] += PassAtK(n, correct, ks[i]);
                majority[i] += MajorityAtK(answers, ks[i]);
            }
            correct = 0;
        }, progress);
        int problems = spec.Problems.Count;
        double attempts = (double)problems * n;
        return new SampleEvalResult(problems, n,
            ks.Select((k, i) => (k, pass[i] / problems)).ToArray(),
            ks.Select((k, i) => (k, majority[i] / problems)).ToArray(),
            tokens / attempts, lines / attempts);
    }

    /// <summary>The unbiased pass@k of a problem with <paramref name="c"/> of <paramref name="n"/> attempts correct:
    /// 1 − C(n − c, k) / C(n, k), computed as a product so it never overflows.</summary>
    public static double PassAtK(int n, int c, int k)
    {
        if (n - c < k) return 1;
        double miss = 1;
        for (int i = n - c + 1; i <= n; i++) miss *= 1 - (double)k / i;
        return 1 - miss;
    }

    /// <summary>
    /// maj@k of one problem: the majority vote over the answers of its first <paramref name="k"/> attempts is correct.
    /// Answers are grouped after the environment's check: every answer it accepted is one group (each is a correct
    /// final answer), and the others are grouped by <see cref="StepProtocol.AnswerKey"/>. Attempts without an answer
    /// (null) cast no vote, so k of them score 0. A tie between the largest groups is broken uniformly at random in
    /// expectation: the result is 1 / (tied groups) when the correct group is among them, else 0.
    /// </summary>
    public static double MajorityAtK(IReadOnlyList<(string? Answer, bool Correct)> attempts, int k)
    {
        if (k < 1 || k > attempts.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{attempts.Count}");
        int right = 0;
        Dictionary<string, int>? wrong = null;
        for (int i = 0; i < k; i++)
        {
            var (answer, ok) = attempts[i];
            if (ok) { right++; continue; }
            if (answer is null) continue;
            wrong ??= new Dictionary<string, int>(StringComparer.Ordinal);
            string key = StepProtocol.AnswerKey(answer);
            wrong[key] = wrong.GetValueOrDefault(key) + 1;
        }
        if (right == 0) return 0;
        int tied = 1;
        if (wrong is not null)
        {
            foreach (int votes in wrong.Values)
            {
                if (votes > right) return 0;
                if (votes == right) tied++;
            }
        }
        return 1.0 / tied;
    }
}
