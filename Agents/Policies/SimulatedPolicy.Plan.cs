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

        public Plan(IEnvironment env, Problem problem, SimulatedPolicy owner)
        {
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
                Epsilon = cfg.AttemptSkill is { } pj ? 1 - Math.Pow(pj, 1.0 / (Lines.Length - 1)) : cfg.StepErrorRate;
            }
            else
            {
                var variants = Array.ConvertAll(Lines, owner.WrongVariants);
                Errors = Array.ConvertAll(variants, x => x.Lines);
                ErrorTokens = Array.ConvertAll(variants, x => x.Tokens);
                Epsilon = cfg.AttemptSkill is { } p ? 1 - Math.Pow(p, 1.0 / Lines.Length) : cfg.StepErrorRate;
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
