using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>sim policy profile</c>: how a policy behaves before anyone trusts an experiment on it. It samples n independent
/// attempts (one line per round, batched across every attempt of a block of problems) on each of a set of problems,
/// verifies every line with the environment, and reports pass@k with the unbiased estimator (Chen et al. 2021), the
/// exponentiated power law fitted to it, and the kinds of mistakes: <c>slip</c> (a step the verifier refutes),
/// <c>dead_end</c> (a valid step after which the task cannot be solved), <c>format</c> (a line the environment cannot
/// parse), <c>wrong_answer</c> (a well-formed final answer that is wrong) and <c>no_answer</c> (the depth limit).
/// </summary>
public static class PolicyProfile
{
    /// <summary>The kinds of mistakes, as reported.</summary>
    public static readonly IReadOnlyList<string> ErrorKinds = ["slip", "dead_end", "format", "wrong_answer", "no_answer"];

    private const int BlockProblems = 16;

    /// <summary>Profiles <paramref name="spec"/>'s policy; <paramref name="progress"/> gets the share of problems done.</summary>
    public static PolicyProfileResult Run(PolicyProfileSpec spec, Action<double>? progress = null)
    {
        if (spec.Problems < 1) throw new ArgumentException("--problems must be >= 1");
        if (spec.Samples < 1 || spec.Samples > 1 << 16) throw new ArgumentException("--samples must be in 1..65536");
        spec.Env.Difficulty.Check(spec.Difficulty);
        var problems = SearchExperiment.SampleProblems(spec.Env, spec.Problems, spec.Difficulty, spec.Seed);
        var correct = new int[problems.Count];
        var first = new long[ErrorKinds.Count];
        var all = new long[ErrorKinds.Count];
        for (int start = 0; start < problems.Count; start += BlockProblems)
        {
            int end = Math.Min(problems.Count, start + BlockProblems);
            RunBlock(spec, problems, start, end, correct, first, all);
            progress?.Invoke((double)end / problems.Count);
        }

        var pass = new List<(int, double)>();
        for (int k = 1; k <= spec.Samples; k *= 2)
            pass.Add((k, correct.Average(c => PassAtK(spec.Samples, c, k))));
        var (a, b, r2) = FitPowerLaw(pass);
        return new PolicyProfileResult(pass, a, b, r2, Shares(first), Shares(all),
            correct.Average(c => (double)c / spec.Samples), correct.Count(c => c == 0) / (double)correct.Length);
    }

    private static Dictionary<string, double> Shares(long[] counts)
    {
        long total = Math.Max(1, counts.Sum());
        return ErrorKinds.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => counts[x.i] / (double)total);
    }

    // One attempt's trace: its lines, the states after its effective steps (a correction pops one), whether it is
    // still running, and whether it has made a mistake yet.
    private sealed class Attempt(EnvState start, bool solvable)
    {
        public readonly List<string> Lines = new();
        public readonly List<(EnvState State, bool Solvable)> Stack = [(start, solvable)];
        public bool Running = true, Erred;
    }

    private static void RunBlock(PolicyProfileSpec spec, List<Problem> problems, int start, int end, int[] correct, long[] first, long[] all)
    {
        var env = spec.Env;
        var attempts = new List<(int Problem, int Index, Attempt A)>();
        for (int p = start; p < end; p++)
        {
            var s0 = env.Start(problems[p]);
            for (int i = 0; i < spec.Samples; i++) attempts.Add((p, i, new Attempt(s0, true)));
        }
        var contexts = new List<PolicyContext>();
        var live = new List<(int Problem, int Index, Attempt A)>();
        var output = Array.Empty<ProposedStep>();
        for (int round = 0; round < spec.MaxDepth; round++)
        {
            contexts.Clear();
            live.Clear();
            foreach (var t in attempts)
            {
                if (!t.A.Running) continue;
                ulong key = StableHash.Combine(StableHash.Combine(spec.Seed, (ulong)t.Problem), (ulong)t.Index);
                contexts.Add(new PolicyContext(env, problems[t.Problem], t.A.Stack[^1].State, t.A.Lines, key));
                live.Add(t);
            }
            if (live.Count == 0) return;
            if (output.Length < live.Count) output = new ProposedStep[live.Count];
            spec.Policy.Propose(contexts, 1, output, StableHash.Combine(spec.Seed ^ 0x9F0F11EUL, (ulong)round));
            for (int i = 0; i < live.Count; i++)
            {
                var (p, _, a) = live[i];
                var problem = problems[p];
                string line = output[i].Text ?? "";
                a.Lines.Add(line);
                string? mistake = null;
                switch (StepProtocol.Classify(line))
                {
                    case StepKind.Thought:
                        break;
                    case StepKind.Correction:
                        if (a.Stack.Count > 1) a.Stack.RemoveAt(a.Stack.Count - 1);
                        break;
                    case StepKind.Answer:
                    {
                        var v = EnvironmentGuard.CheckAnswer(env, problem, StepProtocol.AnswerOf(line));
                        a.Running = false;
                        if (v.Correct) correct[p]++;
                        else mistake = v.Kind == VerdictKind.Malformed ? "format" : "wrong_answer";
                        break;
                    }
                    default:
                    {
                        var (state, solvable) = a.Stack[^1];
                        var v = EnvironmentGuard.CheckStep(env, problem, state, line);
                        if (!v.Valid) mistake = v.Kind == VerdictKind.Malformed ? "format" : "slip";
                        else
                        {
                            bool still = v.SolvableFromHere != Solvability.No;
                            if (solvable && !still) mistake = "dead_end";
                            a.Stack.Add((v.State, solvable && still));
                        }
                        break;
                    }
                }
                if (a.Running && round == spec.MaxDepth - 1) { a.Running = false; mistake ??= a.Erred ? null : "no_answer"; }
                if (mistake is null) continue;
                int kind = IndexOfKind(mistake);
                all[kind]++;
                if (!a.Erred) { a.Erred = true; first[kind]++; }
            }
        }
    }

    private static int IndexOfKind(string mistake)
    {
        for (int i = 0; i < ErrorKinds.Count; i++)
            if (ErrorKinds[i] == mistake) return i;
        throw new ArgumentOutOfRangeException(nameof(mistake), mistake, "not an error kind");
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
