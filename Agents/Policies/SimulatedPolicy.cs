using System.Runtime.CompilerServices;
using Sim.Agents.Tokenization;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Policies;

/// <summary>
/// A fast, parametric stand-in for an LLM policy. It knows the environment's reference solution and errs on purpose,
/// so search and reward design can be studied over millions of steps without a GPU.
/// <para><b>Plan.</b> For each problem it takes the reference solution once (cached per problem): lines
/// <c>s_1 … s_L</c> and the answer line <c>Answer: X</c>, L + 1 lines in all. Problems without a solution (or
/// environments without a solver) have L = 0 and the answer line holds the hidden ground truth.</para>
/// <para><b>On track.</b> A trace is on track when its effective steps (<see cref="StepProtocol.EffectiveSteps"/>: steps
/// minus retracted ones, thoughts ignored) equal <c>s_1 … s_n</c>. The next correct line is then <c>s_{n+1}</c> (or the
/// answer line when n = L).</para>
/// <para><b>One proposal, on track.</b> (1) With probability v (<see cref="SimulatedPolicyConfig.Verbosity"/>) it is a
/// thought line (<c># …</c>, a useless restatement). (2) Otherwise it draws q, its chance of being right: q = 1 − ε, or
/// q ~ Beta((1−ε)c, εc) when the concentration c &gt; 0 (so E[q] = 1 − ε either way), and with probability q emits the
/// correct line, otherwise an error: the correct line with one number changed (which countdown and arithmetic verifiers
/// reject). The reported confidence is q (calibrated), q^(1/s) (over-confident) or q^s (under-confident).</para>
/// <para><b>One proposal, off track.</b> With probability r (<see cref="SimulatedPolicyConfig.Reflection"/>) it is a
/// correction <c>Wait: … is wrong</c>, retracting the last step; otherwise another error (the policy never recovers
/// by chance). Its confidence is drawn as on track: the policy does not know it is lost.</para>
/// <para><b>K samples.</b> Sample 1 is drawn as above; each later sample copies a uniformly chosen earlier one with
/// probability ρ (<see cref="SimulatedPolicyConfig.Repeat"/>) and is otherwise drawn independently.</para>
/// <para><b>Consequences</b> (tested). Per-attempt success without reflection is exactly p = (1 − ε)^(L+1) (set
/// <see cref="SimulatedPolicyConfig.AttemptSkill"/> to fix p across problems of different lengths). Best-of-N over N
/// independent attempts (ρ = 0) with an exact verifier solves 1 − (1 − p)^N of problems. Thought lines do not change p;
/// they add v/(1−v) thoughts per productive line on average.</para>
/// <para><b>Randomness.</b> Each context draws from a stream keyed by the call's seed, the context's key and its
/// trace length, so proposals do not depend on batch composition or thread count.</para>
/// </summary>
public sealed class SimulatedPolicy : IPolicy
{
    private static readonly string[] ThoughtTemplates =
    [
        "# Let me restate the problem.", "# Check the numbers again.", "# The target is still the goal.",
        "# Think about which step to take next.", "# So far so good.",
    ];

    private readonly ConditionalWeakTable<Problem, Plan> _plans = new();
    private readonly SimTokenizer _tokenizer = SimTokenizer.CreateDefault();
    private readonly int[] _thoughtTokens;

    /// <summary>Makes a policy with the given error model.</summary>
    public SimulatedPolicy(SimulatedPolicyConfig config)
    {
        Config = config.Validate();
        _thoughtTokens = ThoughtTemplates.Select(t => _tokenizer.Encode(t).Length + 1).ToArray();
    }

    /// <summary>The error model.</summary>
    public SimulatedPolicyConfig Config { get; }

    /// <inheritdoc />
    public string Name => "simulated";

    /// <summary>The cached plan's lines (reference steps then the answer line) for a problem.</summary>
    public IReadOnlyList<string> PlanOf(IEnvironment env, Problem problem) => GetPlan(env, problem).Lines;

    /// <summary>The per-proposal error rate ε used for a problem (differs per problem when AttemptSkill is set).</summary>
    public double ErrorRateOf(IEnvironment env, Problem problem) => GetPlan(env, problem).Epsilon;

    /// <inheritdoc />
    public void Propose(IReadOnlyList<PolicyContext> contexts, int k, ProposedStep[] output, ulong seed)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be >= 1");
        if (output.Length < contexts.Count * k) throw new ArgumentException($"output needs {contexts.Count * k} slots");
        int n = contexts.Count;
        // Large batches are split over cores; each context's draws are independent of the split.
        if (n >= 512 && Environment.ProcessorCount > 1)
        {
            int chunks = Environment.ProcessorCount * 4;
            Parallel.For(0, chunks, c =>
            {
                int lo = (int)((long)n * c / chunks), hi = (int)((long)n * (c + 1) / chunks);
                for (int i = lo; i < hi; i++) ProposeOne(contexts[i], k, output, i * k, seed);
            });
        }
        else
        {
            for (int i = 0; i < n; i++) ProposeOne(contexts[i], k, output, i * k, seed);
        }
    }

    private void ProposeOne(in PolicyContext ctx, int k, ProposedStep[] output, int at, ulong seed)
    {
        var plan = GetPlan(ctx.Env, ctx.Problem);
        var lines = ctx.Lines;
        var rng = new Rng(StableHash.Mix(seed ^ StableHash.Mix(ctx.Key + 0x632BE59BD9B4E019UL)) ^ (ulong)lines.Count * 0x9E3779B97F4A7C15UL);
        int depth = Progress(plan, lines, out bool onTrack, out string? lastStep);
        for (int j = 0; j < k; j++)
        {
            if (j > 0 && Config.Repeat > 0 && rng.Chance(Config.Repeat))
            {
                output[at + j] = output[at + rng.NextInt(j)];
                continue;
            }
            output[at + j] = Draw(plan, depth, onTrack, lastStep, ref rng);
        }
    }

    private ProposedStep Draw(Plan plan, int depth, bool onTrack, string? lastStep, ref Rng rng)
    {
        if (onTrack && Config.Verbosity > 0 && rng.Chance(Config.Verbosity))
        {
            int t = rng.NextInt(ThoughtTemplates.Length);
            return new ProposedStep(ThoughtTemplates[t], StepKind.Thought, 0.0, 1.0, _thoughtTokens[t]);
        }
        double q = DrawQ(plan, ref rng);
        double c = Config.Calibration switch
        {
            Calibration.OverConfident => Math.Pow(q, 1 / Config.MiscalibrationStrength),
            Calibration.UnderConfident => Math.Pow(q, Config.MiscalibrationStrength),
            _ => q,
        };
        double logp = Math.Log(Math.Max(c, 1e-12));
        int idx = Math.Min(depth, plan.Lines.Length - 1);
        if (!onTrack)
        {
            if (lastStep is not null && Config.Reflection > 0 && rng.Chance(Config.Reflection))
            {
                string text = StepProtocol.CorrectionPrefix + lastStep + " is wrong";
                return new ProposedStep(text, StepKind.Correction, logp, c, _tokenizer.Encode(text).Length + 1);
            }
            int e = rng.NextInt(plan.Errors[idx].Length);
            return new ProposedStep(plan.Errors[idx][e], plan.Kinds[idx], logp, c, plan.ErrorTokens[idx][e]);
        }
        if (rng.NextDouble() < q) return new ProposedStep(plan.Lines[idx], plan.Kinds[idx], logp, c, plan.Tokens[idx]);
        int err = rng.NextInt(plan.Errors[idx].Length);
        return new ProposedStep(plan.Errors[idx][err], plan.Kinds[idx], logp, c, plan.ErrorTokens[idx][err]);
    }

    private static double DrawQ(Plan plan, ref Rng rng)
    {
        if (plan.GammaA is not { } ga || plan.GammaB is not { } gb) return 1 - plan.Epsilon;
        double a = Gamma(ga, ref rng), b = Gamma(gb, ref rng);
        return a + b > 0 ? a / (a + b) : 1 - plan.Epsilon;
    }

    // Marsaglia–Tsang gamma sampler; shapes below 1 use the boost Gamma(a) = Gamma(a + 1) · U^(1/a). The shape's
    // constants are computed once per plan (GammaShape).
    private static double Gamma(in GammaShape g, ref Rng rng)
    {
        double boost = 1;
        if (g.Boosted) boost = Math.Pow(Math.Max(rng.NextDouble(), 1e-300), g.InvShape);
        double d = g.D, c = g.C;
        while (true)
        {
            double x, v;
            do { x = rng.NextGaussian(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = rng.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v * boost;
        }
    }

    /// <summary>Constants of the Marsaglia–Tsang sampler for one shape, computed exactly as the sampler used to.</summary>
    private readonly struct GammaShape
    {
        public readonly bool Boosted;
        public readonly double InvShape, D, C;

        public GammaShape(double shape)
        {
            Boosted = shape < 1;
            InvShape = 1 / shape;
            if (Boosted) shape += 1;
            D = shape - 1.0 / 3;
            C = 1 / Math.Sqrt(9 * D);
        }
    }

    [ThreadStatic] private static List<string>? t_stack;

    // How far along the plan the trace is: the number of effective steps, whether they match the plan's prefix, and the
    // last effective step (which a correction would retract). Allocation-free.
    private static int Progress(Plan plan, IReadOnlyList<string> lines, out bool onTrack, out string? lastStep)
    {
        onTrack = true;
        lastStep = null;
        int depth = 0, firstBad = int.MaxValue;
        var stack = t_stack ??= new List<string>(16);
        stack.Clear();
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            switch (StepProtocol.Classify(line))
            {
                case StepKind.Step:
                    if (depth < firstBad && (depth >= plan.Lines.Length - 1 || !line.AsSpan().Trim().SequenceEqual(plan.Lines[depth])))
                        firstBad = depth;
                    stack.Add(line);
                    depth++;
                    break;
                case StepKind.Correction:
                    if (depth > 0)
                    {
                        stack.RemoveAt(stack.Count - 1);
                        depth--;
                        if (firstBad >= depth) firstBad = firstBad == depth ? int.MaxValue : firstBad;
                    }
                    break;
                case StepKind.Answer:
                    if (depth < firstBad) firstBad = depth;
                    break;
            }
        }
        onTrack = firstBad == int.MaxValue && depth < plan.Lines.Length;
        lastStep = stack.Count > 0 ? stack[^1].Trim() : null;
        return depth;
    }

    // The lookup comes first: GetValue with a lambda capturing env would allocate a closure on every call.
    private Plan GetPlan(IEnvironment env, Problem problem) =>
        _plans.TryGetValue(problem, out var plan) ? plan : _plans.GetValue(problem, p => new Plan(env, p, this));

    private sealed class Plan
    {
        public readonly string[] Lines;
        public readonly StepKind[] Kinds;
        public readonly int[] Tokens;
        public readonly string[][] Errors;
        public readonly int[][] ErrorTokens;
        public readonly double Epsilon;
        public readonly GammaShape? GammaA, GammaB;

        public Plan(IEnvironment env, Problem problem, SimulatedPolicy owner)
        {
            var solution = env.HasReferenceSolver ? env.Solve(problem) : null;
            var lines = new List<string>();
            if (solution is not null) lines.AddRange(solution.Steps.Select(s => s.Trim()));
            lines.Add(StepProtocol.AnswerPrefix + (solution?.Answer ?? problem.Answer));
            Lines = lines.ToArray();
            Kinds = Lines.Select(StepProtocol.Classify).ToArray();
            Tokens = Lines.Select(l => owner._tokenizer.Encode(l).Length + 1).ToArray();
            Errors = Lines.Select(Mutations).ToArray();
            ErrorTokens = Errors.Select(es => es.Select(e => owner._tokenizer.Encode(e).Length + 1).ToArray()).ToArray();
            var cfg = owner.Config;
            Epsilon = cfg.AttemptSkill is { } p ? 1 - Math.Pow(p, 1.0 / Lines.Length) : cfg.StepErrorRate;
            double conc = cfg.ConfidenceConcentration;
            if (!(conc <= 0 || Epsilon <= 0 || Epsilon >= 1))
            {
                GammaA = new GammaShape((1 - Epsilon) * conc);
                GammaB = new GammaShape(Epsilon * conc);
            }
        }

        // Wrong variants of a correct line: its last number changed by +1, −1 (if positive), +10 and ×2 (if not 0 or 1);
        // for longer texts (code), also the first comparison flipped (<= to <, < to <=, and so on) and the first '+'
        // turned into '-'. Texts with none of these get " (not)" appended. Mutants of code can be equivalent (still pass).
        private static string[] Mutations(string line)
        {
            var variants = new List<string>();
            int end = -1;
            for (int i = line.Length - 1; i >= 0; i--) if (char.IsAsciiDigit(line[i])) { end = i + 1; break; }
            if (end >= 0)
            {
                int start = end - 1;
                while (start > 0 && char.IsAsciiDigit(line[start - 1])) start--;
                if (end - start <= 15 && long.TryParse(line.AsSpan(start, end - start), out long v))
                {
                    var numbers = new List<long> { v + 1, v + 10 };
                    if (v > 0) numbers.Add(v - 1);
                    if (v > 1) numbers.Add(v * 2);
                    variants.AddRange(numbers.Distinct().Where(x => x != v).Select(x => line[..start] + x + line[end..]));
                }
                else variants.Add(line[..start] + "9" + line[start..]);
            }
            if (line.Length > 40)
            {
                foreach (var (from, to) in new[] { ("<=", "<"), (">=", ">"), ("<", "<="), (">", ">="), ("===", "!=="), ("+", "-") })
                {
                    int at = line.IndexOf(from, StringComparison.Ordinal);
                    if (at < 0) continue;
                    variants.Add(line[..at] + to + line[(at + from.Length)..]);
                    break;
                }
            }
            if (variants.Count == 0) variants.Add(line + " (not)");
            return variants.Distinct().Where(x => x != line).ToArray();
        }
    }
}
