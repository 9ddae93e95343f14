using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <para><b>Free-form answers (<c>judge</c>).</b> On an environment whose answers are graded, not verified
/// (<see cref="IRubricGraded"/>, such as the judge), the plan is the rubric's R key-point sentences
/// <c>k_1 … k_R</c> and the answer is the draft: every effective step, joined by spaces. The trace fills R slots, one per
/// non-padding step. One proposal: (1) if the trace's last line is a miss (below), with probability r a correction
/// retracting it; (2) otherwise with probability v a padding sentence (a step that lengthens the answer and makes no key
/// point; it fills no slot); (3) otherwise, with all R slots filled, the answer line <c>Answer: draft</c> (confidence 1);
/// (4) otherwise q is drawn as above and with probability q the next slot's key point k_{n+1} (a hit), else a miss: an
/// on-topic sentence that makes no key point. Gold quality is hits / R, so without reflection it is Binomial(R, 1 − ε) / R
/// (mean 1 − ε; P(gold = 1) = (1 − ε)^R, which AttemptSkill fixes to p by ε = 1 − p^(1/R)); with reflection each slot
/// hits with probability (1 − ε) / (1 − ε·r). The number of padding sentences is independent of gold, negative binomial
/// with mean (R + 1)·v / (1 − v), so answer length varies apart from quality and the judge's length bias can be studied.
/// Padding, misses and key points carry no flattering keywords.</para>
/// <para><b>Randomness.</b> Each context draws from a stream keyed by the call's seed, the context's key and its
/// trace length, so proposals do not depend on batch composition or thread count.</para>
/// </summary>
public sealed partial class SimulatedPolicy : IPolicy
{
    private static readonly string[] ThoughtTemplates =
    [
        "# Let me restate the problem.", "# Check the numbers again.", "# The target is still the goal.",
        "# Think about which step to take next.", "# So far so good.",
    ];

    // ln 1e-12: the floor of reported log-probabilities (confidence 0 would give −∞).
    private static readonly double LogFloor = Math.Log(1e-12);

    private readonly ConditionalWeakTable<Problem, Plan> _plans = new();
    private readonly ConcurrentDictionary<(IRubricGraded, string), JudgePlan> _judgePlans = new();
    private readonly SimTokenizer _tokenizer = SimTokenizer.CreateDefault();
    private readonly int[] _thoughtTokens;
    // Token count (plus one for the step delimiter) of each line text seen: `sim run` makes a plan for every episode,
    // and its lines and their wrong variants repeat across problems ("8+5=13"), so tokenizing them each time was an
    // eighth of the run's CPU and a third of its allocation.
    private readonly LineMemo<int> _lineTokens;

    // The wrong variants of each plan line seen and their token counts, shared by every plan with that line (read
    // only), so a new problem's plan builds no strings for them.
    private readonly LineMemo<(string[] Lines, int[] Tokens)> _wrongVariants;

    // The format error of each plan line seen, and its token count (see Plan.FormatVariant).
    private readonly LineMemo<(string Line, int Tokens)> _formatVariants;

    // The config's fields, read once per proposal on the hot path.
    private readonly double _repeat, _verbosity, _reflection, _exponent, _deadEnd, _formatError;
    private readonly int _wrongAnswers;
    private readonly Calibration _calibration;

    /// <summary>Makes a policy with the given error model.</summary>
    public SimulatedPolicy(SimulatedPolicyConfig config)
    {
        Config = config.Validate();
        _lineTokens = new LineMemo<int>(line => _tokenizer.Count(line) + 1);
        _wrongVariants = new LineMemo<(string[], int[])>(line =>
        {
            var lines = Plan.Mutations(line);
            return (lines, Array.ConvertAll(lines, LineTokens));
        });
        _formatVariants = new LineMemo<(string, int)>(line =>
        {
            string bad = Plan.FormatVariant(line);
            return (bad, LineTokens(bad));
        });
        _thoughtTokens = ThoughtTemplates.Select(t => _tokenizer.Count(t) + 1).ToArray();
        _deadEnd = config.DeadEnd;
        _formatError = config.FormatError;
        _wrongAnswers = config.WrongAnswers;
        _repeat = config.Repeat;
        _verbosity = config.Verbosity;
        _reflection = config.Reflection;
        _calibration = config.Calibration;
        _exponent = config.Calibration switch
        {
            Calibration.OverConfident => 1 / config.MiscalibrationStrength,
            Calibration.UnderConfident => config.MiscalibrationStrength,
            _ => 1,
        };
    }

    /// <summary>The error model.</summary>
    public SimulatedPolicyConfig Config { get; }

    /// <inheritdoc />
    public string Name => "simulated";

    /// <summary>The cached plan's lines (reference steps then the answer line) for a problem.</summary>
    public IReadOnlyList<string> PlanOf(IEnvironment env, Problem problem) => GetPlan(env, problem).Lines;

    /// <summary>The per-proposal error rate ε used for a problem (differs per problem when AttemptSkill is set).</summary>
    public double ErrorRateOf(IEnvironment env, Problem problem) => GetPlan(env, problem).Epsilon;

    // The hot path is compiled fully optimised on first use (AggressiveOptimization): a benchmark or a short run would
    // otherwise spend its first hundred milliseconds or so in unoptimised tier-0 code.

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
            Parallel.For(0, chunks, c => ProposeRange(contexts, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks), k, output, seed));
        }
        else
        {
            ProposeRange(contexts, 0, n, k, output, seed);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProposeRange(IReadOnlyList<PolicyContext> contexts, int lo, int hi, int k, ProposedStep[] output, ulong seed)
    {
        // Arrays and lists are read as spans: no interface call per context.
        ReadOnlySpan<PolicyContext> span;
        if (contexts is PolicyContext[] array) span = array;
        else if (contexts is List<PolicyContext> list) span = CollectionsMarshal.AsSpan(list);
        else
        {
            for (int i = lo; i < hi; i++) ProposeOne(contexts[i], k, output, i * k, seed);
            return;
        }
        for (int i = lo; i < hi; i++) ProposeOne(in span[i], k, output, i * k, seed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProposeOne(in PolicyContext ctx, int k, ProposedStep[] output, int at, ulong seed)
    {
        var plan = GetPlan(ctx.Env, ctx.Problem);
        var lines = LinesOf(ctx.Lines);
        var rng = new Rng(StableHash.Mix(seed ^ StableHash.Mix(ctx.Key + 0x632BE59BD9B4E019UL)) ^ (ulong)lines.Length * 0x9E3779B97F4A7C15UL);
        if (plan.Judge is not null)
        {
            ProposeJudge(plan, lines, k, output, at, ref rng);
            return;
        }
        int depth = Progress(plan, lines, out bool onTrack, out string? lastStep);
        for (int j = 0; j < k; j++)
        {
            if (j > 0 && _repeat > 0 && rng.NextDouble() < _repeat)
            {
                output[at + j] = output[at + Index(ref rng, j)];
                continue;
            }
            output[at + j] = Draw(plan, depth, onTrack, lastStep, ref rng);
        }
    }

    [ThreadStatic] private static string[]? t_lines;

    // The trace as a span: arrays and lists directly, anything else copied into a per-thread buffer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<string> LinesOf(IReadOnlyList<string> lines)
    {
        if (lines is string[] array) return array;
        if (lines is List<string> list) return CollectionsMarshal.AsSpan(list);
        return CopyLines(lines);
    }

    private static ReadOnlySpan<string> CopyLines(IReadOnlyList<string> lines)
    {
        int n = lines.Count;
        var buffer = t_lines;
        if (buffer is null || buffer.Length < n) t_lines = buffer = new string[Math.Max(16, n * 2)];
        for (int i = 0; i < n; i++) buffer[i] = lines[i];
        return buffer.AsSpan(0, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ProposedStep Draw(Plan plan, int depth, bool onTrack, string? lastStep, ref Rng rng)
    {
        if (onTrack && _verbosity > 0 && rng.NextDouble() < _verbosity)
        {
            int t = Index(ref rng, ThoughtTemplates.Length);
            return new ProposedStep(ThoughtTemplates[t], StepKind.Thought, 0.0, 1.0, _thoughtTokens[t]);
        }
        double q = Confidence(plan, ref rng, out double c, out double logp);
        int idx = Math.Min(depth, plan.Lines.Length - 1);
        if (!onTrack)
        {
            if (lastStep is not null && _reflection > 0 && rng.NextDouble() < _reflection)
                return Correction(lastStep, logp, c);
            return Slip(plan, idx, ref rng, logp, c);
        }
        if (rng.NextDouble() < q) return new ProposedStep(plan.Lines[idx], plan.Kinds[idx], logp, c, plan.Tokens[idx]);
        // A mistake: a dead end (d), a format error (f) or a slip (the rest, and a dead end where none exists).
        if (_deadEnd + _formatError > 0)
        {
            double u = rng.NextDouble();
            if (u < _deadEnd)
            {
                if (plan.TryDeadEnd(idx, ref rng, out string dead, out int deadTokens))
                    return new ProposedStep(dead, StepKind.Step, logp, c, deadTokens);
            }
            else if (u < _deadEnd + _formatError)
            {
                var (bad, tokens) = plan.FormatError(idx);
                return new ProposedStep(bad, StepProtocol.Classify(bad), logp, c, tokens);
            }
        }
        return Slip(plan, idx, ref rng, logp, c);
    }

    // A slip of plan line idx: one of its wrong variants, or on the answer line with a wrong-answer range w, the answer's
    // last number moved by a uniform nonzero offset in [−w, w] (its token count taken as the right answer's).
    private ProposedStep Slip(Plan plan, int idx, ref Rng rng, double logp, double c)
    {
        if (_wrongAnswers > 0 && idx == plan.Lines.Length - 1 && plan.AnswerEnd > 0)
        {
            int offset = 1 + Index(ref rng, _wrongAnswers);
            if ((rng.NextULong() & 1) != 0 && plan.AnswerValue >= offset) offset = -offset;
            return new ProposedStep(plan.WrongAnswer(offset, _wrongAnswers), StepKind.Answer, logp, c, plan.Tokens[idx]);
        }
        int e = Index(ref rng, plan.Errors[idx].Length);
        return new ProposedStep(plan.Errors[idx][e], plan.Kinds[idx], logp, c, plan.ErrorTokens[idx][e]);
    }

    // A correction retracting `lastStep`.
    private ProposedStep Correction(string lastStep, double logp, double c)
    {
        string text = StepProtocol.CorrectionPrefix + lastStep + " is wrong";
        return new ProposedStep(text, StepKind.Correction, logp, c, LineTokens(text));
    }

    /// <summary>The wrong variants of a correct plan line (<see cref="Plan.Mutations"/>) and their tokens as steps.</summary>
    private (string[] Lines, int[] Tokens) WrongVariants(string line) => _wrongVariants.Get(line);

    /// <summary>Tokens of <paramref name="line"/> as a step: its tokens and the step delimiter.</summary>
    private int LineTokens(string line) => _lineTokens.Get(line);

    /// <summary>
    /// A thread-safe memo of a pure function of a line's text, bounded: traces from other sources can hold any text, so
    /// past <see cref="Capacity"/> lines a value is computed without being kept.
    /// </summary>
    private sealed class LineMemo<T>(Func<string, T> compute)
    {
        private const int Capacity = 1 << 17;
        private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
        private int _count; // kept here: ConcurrentDictionary.Count takes every lock of the table, and both cores miss at once

        public T Get(string line)
        {
            if (_values.TryGetValue(line, out var value)) return value;
            value = compute(line);
            if (Volatile.Read(ref _count) < Capacity && _values.TryAdd(line, value)) Interlocked.Increment(ref _count);
            return value;
        }
    }

    // Draws q, the chance that the proposal is right, and the reported confidence c and log-probability ln c. With
    // c = 0 (no Beta) all three are constants of the plan. Miscalibration is c = q^e = exp(e·ln q), the same value as
    // Math.Pow with one transcendental call fewer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Confidence(Plan plan, ref Rng rng, out double c, out double logp)
    {
        if (!plan.HasBeta)
        {
            c = plan.FixedConfidence;
            logp = plan.FixedLogProb;
            return plan.FixedQ;
        }
        double q = DrawQ(plan, ref rng);
        if (_calibration == Calibration.Calibrated)
        {
            c = q;
            logp = Math.Max(Math.Log(q), LogFloor);
        }
        else
        {
            double lc = Math.Log(q) * _exponent;
            c = Math.Exp(lc);
            logp = Math.Max(lc, LogFloor);
        }
        return q;
    }

    // q ~ Beta(A, B) as Ga / (Ga + Gb) with independent Ga ~ Gamma(A), Gb ~ Gamma(B).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double DrawQ(Plan plan, ref Rng rng)
    {
        double a = Gamma(plan.GammaA, ref rng), b = Gamma(plan.GammaB, ref rng);
        return a + b > 0 ? a / (a + b) : 1 - plan.Epsilon;
    }

    // Marsaglia–Tsang gamma sampler on exact ziggurat normals; shapes below 1 use the boost
    // Gamma(a) = Gamma(a + 1) · U^(1/a) = Gamma(a + 1) · exp(−E/a), with E = −ln U ~ Exp(1) also drawn by ziggurat. The
    // shape's constants are computed once per plan (GammaShape).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Gamma(in GammaShape g, ref Rng rng)
    {
        double d = g.D, c = g.C;
        double boost = g.Boosted ? Math.Exp(-Ziggurat.Exponential(ref rng) * g.InvShape) : 1;
        while (true)
        {
            double x, v;
            do { x = Ziggurat.Normal(ref rng); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = rng.NextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.Log(u) < 0.5 * x2 + d * (1 - v + Math.Log(v))) return d * v * boost;
        }
    }

    // A uniform integer in [0, bound): Lemire's method, the same draws as Rng.NextInt, inlined into the hot path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Index(ref Rng rng, int bound)
    {
        ulong m = (ulong)(uint)(rng.NextULong() >> 32) * (uint)bound;
        uint low = (uint)m;
        if (low < (uint)bound)
        {
            uint threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                m = (ulong)(uint)(rng.NextULong() >> 32) * (uint)bound;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    [ThreadStatic] private static string[]? t_stack;

    // How far along the plan the trace is: the number of effective steps, whether they match the plan's prefix, and the
    // last effective step (which a correction would retract). Allocation-free. Lines the policy wrote itself are the
    // plan's own string instances, so a reference comparison usually settles the match.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Progress(Plan plan, ReadOnlySpan<string> lines, out bool onTrack, out string? lastStep)
    {
        int depth = 0, firstBad = int.MaxValue, last = plan.Lines.Length - 1;
        var stack = t_stack;
        if (stack is null || stack.Length < lines.Length) t_stack = stack = new string[Math.Max(16, lines.Length * 2)];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            switch (StepProtocol.Classify(line))
            {
                case StepKind.Step:
                    if (depth < firstBad && (depth >= last || !Same(line, plan.Lines[depth])))
                        firstBad = depth;
                    stack[depth++] = line;
                    break;
                case StepKind.Correction:
                    if (depth > 0)
                    {
                        depth--;
                        if (firstBad == depth) firstBad = int.MaxValue;
                    }
                    break;
                case StepKind.Answer:
                    if (depth < firstBad) firstBad = depth;
                    break;
            }
        }
        onTrack = firstBad == int.MaxValue && depth < plan.Lines.Length;
        lastStep = depth > 0 ? stack[depth - 1].Trim() : null;
        return depth;
    }

    // A trace line equals a (trimmed) plan line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Same(string line, string planned) =>
        ReferenceEquals(line, planned) || line.AsSpan().Trim().SequenceEqual(planned);

    // The lookup comes first, and the lambda lives in its own method: a lambda capturing the parameter env would allocate
    // its closure on entry to any method that contains it, on every call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Plan GetPlan(IEnvironment env, Problem problem) => _plans.TryGetValue(problem, out var plan) ? plan : MakePlan(env, problem);

    private Plan MakePlan(IEnvironment env, Problem problem) => _plans.GetValue(problem, p => new Plan(env, p, this));
}
