using Sim.Environments;

namespace Sim.Agents.Policies;

public sealed partial class SimulatedPolicy
{
    // Everything the policy precomputes per problem: the plan's lines, their error variants, token counts (so the hot path
    // never tokenizes or allocates a text) and the per-problem constants of the error model.
    private sealed class Plan
    {
        public readonly string[] Lines;
        public readonly StepKind[] Kinds;
        public readonly int[] Tokens;
        public readonly string[][] Errors;
        public readonly int[][] ErrorTokens;
        public readonly double Epsilon;

        // q ~ Beta(A, B) when HasBeta; otherwise q, the confidence and its log are the constants Fixed*.
        public readonly bool HasBeta;
        public readonly GammaShape GammaA, GammaB;
        public readonly double FixedQ, FixedConfidence, FixedLogProb;

        // Set on environments whose free-form answers are graded against a rubric (IRubricGraded: the judge).
        public readonly JudgePlan? Judge;

        // The problem's own chance that a whole attempt succeeds (its difficulty; see ErrorRate).
        public readonly double Skill;

        // Where the answer line's last number is (its digits are Answer[AnswerStart..AnswerEnd)) and its value, for
        // wrong answers drawn from a range around it; AnswerEnd is -1 when the answer has no such number.
        public readonly int AnswerStart, AnswerEnd = -1;
        public readonly long AnswerValue;

        private readonly IEnvironment _env;
        private readonly Problem _problem;
        private readonly SimulatedPolicy _owner;
        // The state before each plan line along the reference path, made on first use (a race makes the same array twice).
        private EnvState[]? _states;

        public Plan(IEnvironment env, Problem problem, SimulatedPolicy owner)
        {
            _env = env;
            _problem = problem;
            _owner = owner;
            var cfg = owner.Config;
            var solution = env.HasReferenceSolver ? env.Solve(problem) : null;
            var lines = new List<string>();
            if (solution is not null) lines.AddRange(solution.Steps.Select(s => s.Trim()));
            lines.Add(StepProtocol.AnswerPrefix + (solution?.Answer ?? problem.Answer));
            Lines = lines.ToArray();
            Kinds = Lines.Select(StepProtocol.Classify).ToArray();
            Tokens = Array.ConvertAll(Lines, owner.LineTokens);
            if (env is IRubricGraded graded && graded.RubricKey(problem) is { } rubric && Lines.Length > 1)
            {
                // A judge plan depends only on the grader and the rubric, and `sim run` makes a new Problem each
                // episode: share it, or building it (gold checks and tokenizing a dozen sentences) dominates the run.
                Judge = owner._judgePlans.GetOrAdd((graded, rubric), _ => new JudgePlan(graded, problem, rubric, Lines, owner._tokenizer));
                Errors = Lines.Select(_ => Judge.Misses).ToArray();
                ErrorTokens = Lines.Select(_ => Judge.MissTokens).ToArray();
                // The answer line cannot be wrong (it is the draft), so a whole attempt has R chances to miss.
                Epsilon = ErrorRate(cfg, env, problem, Lines.Length - 1, out Skill);
            }
            else
            {
                var variants = Array.ConvertAll(Lines, owner.WrongVariants);
                Errors = Array.ConvertAll(variants, x => x.Lines);
                ErrorTokens = Array.ConvertAll(variants, x => x.Tokens);
                Epsilon = ErrorRate(cfg, env, problem, Lines.Length, out Skill);
            }
            _deadEnds = new LineSet?[Lines.Length];
            string answerLine = Lines[^1];
            for (int i = answerLine.Length - 1; i >= 0; i--)
            {
                if (!char.IsAsciiDigit(answerLine[i])) continue;
                int start = i;
                while (start > 0 && char.IsAsciiDigit(answerLine[start - 1])) start--;
                if (i + 1 - start <= 15 && long.TryParse(answerLine.AsSpan(start, i + 1 - start), out long value))
                {
                    AnswerStart = start;
                    AnswerEnd = i + 1;
                    AnswerValue = value;
                }
                break;
            }
            double conc = cfg.ConfidenceConcentration;
            HasBeta = !(conc <= 0 || Epsilon <= 0 || Epsilon >= 1);
            if (HasBeta)
            {
                GammaA = new GammaShape((1 - Epsilon) * conc);
                GammaB = new GammaShape(Epsilon * conc);
            }
            FixedQ = 1 - Epsilon;
            FixedConfidence = cfg.Calibration switch
            {
                Calibration.OverConfident => Math.Pow(FixedQ, 1 / cfg.MiscalibrationStrength),
                Calibration.UnderConfident => Math.Pow(FixedQ, cfg.MiscalibrationStrength),
                _ => FixedQ,
            };
            FixedLogProb = Math.Log(Math.Max(FixedConfidence, 1e-12));
        }

        // ε for a problem whose attempt has `chances` lines that can go wrong. Without spread: the configured ε, or the ε
        // that makes the attempt succeed with probability exactly AttemptSkill. With spread s: the problem's own
        // p_i ~ Beta(p·κ, (1 − p)·κ), κ = 1/s − 1, around the nominal p, drawn from a stream keyed by the environment and
        // the question, so a problem's difficulty is a fixed property of the problem (the same for every policy and
        // run), then ε_i = 1 − p_i^(1/chances).
        private static double ErrorRate(SimulatedPolicyConfig cfg, IEnvironment env, Problem problem, int chances, out double skill)
        {
            double nominal = cfg.AttemptSkill ?? Math.Pow(1 - cfg.StepErrorRate, chances);
            if (cfg.Spread <= 0 || nominal <= 0 || nominal >= 1)
            {
                skill = nominal;
                return cfg.AttemptSkill is { } p ? 1 - Math.Pow(p, 1.0 / chances) : cfg.StepErrorRate;
            }
            double kappa = 1 / cfg.Spread - 1;
            var rng = new Sim.Engine.Rng(Sim.Engine.StableHash.Combine(Sim.Engine.StableHash.Of(env.Name), Sim.Engine.StableHash.Of(problem.Question)) ^ 0xD1FF1C0171UL);
            double a = Gamma(new GammaShape(nominal * kappa), ref rng), b = Gamma(new GammaShape((1 - nominal) * kappa), ref rng);
            skill = a + b > 0 ? Math.Clamp(a / (a + b), 0, 1) : nominal;
            return Math.Clamp(1 - Math.Pow(skill, 1.0 / chances), 0, 1);
        }

        // A valid step at plan depth `depth` (before plan line `depth`) that leads into a dead end: accepted by the
        // verifier, with no solution below (SolvableFromHere = No), drawn uniformly from all of them; false where the
        // environment cannot list its steps, at the answer line, or where there is none. The first draw at a depth checks
        // every candidate the environment lists (a few dozen verdicts, once per problem and depth); later draws are a
        // lookup. A race computes the same list twice and keeps either.
        public bool TryDeadEnd(int depth, ref Sim.Engine.Rng rng, out string text, out int tokens)
        {
            text = "";
            tokens = 0;
            if (depth >= Lines.Length - 1 || _env is not IStepEnumerator steps) return false;
            // Published as one reference, so a thread that reads it sees the whole list (a nullable struct could tear).
            var found = Volatile.Read(ref _deadEnds[depth]);
            if (found is null) Volatile.Write(ref _deadEnds[depth], found = FindDeadEnds(steps, depth));
            if (found.Lines.Length == 0) return false;
            int i = Index(ref rng, found.Lines.Length);
            text = found.Lines[i];
            tokens = found.Tokens[i];
            return true;
        }

        private LineSet FindDeadEnds(IStepEnumerator steps, int depth)
        {
            var states = Volatile.Read(ref _states);
            if (states is null)
            {
                states = new EnvState[Lines.Length];
                states[0] = _env.Start(_problem);
                for (int n = 0; n + 1 < Lines.Length; n++) states[n + 1] = _env.CheckStep(_problem, states[n], Lines[n]).State;
                Volatile.Write(ref _states, states);
            }
            var dead = new List<string>();
            foreach (var step in steps.CandidateSteps(_problem, states[depth]))
            {
                if (Same(step, Lines[depth])) continue;
                var v = _env.CheckStep(_problem, states[depth], step);
                if (v.Valid && v.SolvableFromHere == Solvability.No) dead.Add(step);
            }
            return new LineSet(dead.ToArray(), dead.Select(_owner.LineTokens).ToArray());
        }

        private readonly LineSet?[] _deadEnds;

        // Lines with their token counts, immutable once made.
        private sealed record LineSet(string[] Lines, int[] Tokens);

        // Each plan line's format error (from the policy's shared memo), made on first use.
        private Tuple<string, int>?[]? _formatErrors;

        public (string Line, int Tokens) FormatError(int idx)
        {
            var cache = Volatile.Read(ref _formatErrors);
            if (cache is null) Volatile.Write(ref _formatErrors, cache = new Tuple<string, int>?[Lines.Length]);
            if (Volatile.Read(ref cache[idx]) is { } known) return (known.Item1, known.Item2);
            var (line, tokens) = _owner._formatVariants.Get(Lines[idx]);
            Volatile.Write(ref cache[idx], Tuple.Create(line, tokens));
            return (line, tokens);
        }

        // The wrong answers drawn so far, by offset: index w + offset (offset in [−w, w], 0 unused), made on first use.
        private string?[]? _wrongAnswers;

        public string WrongAnswer(int offset, int range)
        {
            var cache = _wrongAnswers ??= new string?[2 * range + 1];
            ref string? slot = ref cache[range + offset];
            if (slot is not null) return slot;
            string line = Lines[^1];
            return slot = string.Concat(line.AsSpan(0, AnswerStart),
                (AnswerValue + offset).ToString(System.Globalization.CultureInfo.InvariantCulture), line.AsSpan(AnswerEnd));
        }

        // A format error of a plan line: a line the environment cannot parse. A step written "a op b = c" loses its result
        // ("a op b ="); the answer line loses its answer ("Answer:"); any other line is cut in half.
        internal static string FormatVariant(string line)
        {
            if (StepProtocol.Classify(line) == StepKind.Answer) return StepProtocol.AnswerPrefix.TrimEnd();
            int eq = line.LastIndexOf('=');
            if (eq > 0) return line[..eq].TrimEnd() + " =";
            return line.Length > 1 ? line[..(line.Length / 2)] : line + " ?";
        }

        // Wrong variants of a correct line: its last number changed by +1, −1 (if positive), +10 and ×2 (if not 0 or 1);
        // for longer texts (code), also the first comparison flipped (<= to <, < to <=, and so on) and the first '+'
        // turned into '-'. Texts with none of these get " (not)" appended. Mutants of code can be equivalent (still pass).
        internal static string[] Mutations(string line)
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

    /// <summary>Constants of the Marsaglia–Tsang sampler for one shape.</summary>
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
}
