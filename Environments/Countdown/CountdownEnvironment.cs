using System.Text.Json.Nodes;
using Sim.Engine;
using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>
/// Countdown (and the 24 game): make a target from a list of numbers with + − × ÷, each number used at most once.
/// <para><b>Observation.</b> The question lists the numbers, the target and the rules; the state is the multiset of
/// numbers still available.</para>
/// <para><b>Step.</b> <c>a op b = c</c> (e.g. <c>8 - 3 = 5</c>): a and b must be available (two copies if a = b), c must
/// equal a op b exactly and be legal under the rules. The step consumes a and b and adds c.</para>
/// <para><b>Rules</b> (<see cref="CountdownConfig"/>): positive integers with exact division only (the TV game, the
/// default) or any rationals; the target made from any subset, or only from all numbers.</para>
/// <para><b>Process reward</b> in [0, 1]: 1 for a valid step after which the target is still reachable (the exact
/// step value, from the memoized solver), <see cref="CountdownConfig.DeadEndReward"/> for a valid step that makes the
/// target unreachable, 0 for an invalid one. Every verdict carries <see cref="StepVerdict.SolvableFromHere"/> exactly.</para>
/// <para><b>Answer.</b> A whole expression such as <c>(8-3)*4+4</c>, checked against the numbers and the rules; or the
/// steps, one per line or separated by ';'; or "no solution" for an unsolvable problem. Outcome 1 when the target is made.</para>
/// <para><b>Episode end.</b> A step that makes the target (with all numbers used, if the rules say so) or leaves one
/// number is terminal. <b>Difficulty</b> 1–5: countdown has difficulty + 2 numbers drawn from 1..10, 25, 50, 100, 100;
/// game24 has 4 numbers from 1..9, 13 or 20 (levels 1–3). Every generated problem is solvable (checked by the solver)
/// unless <see cref="CountdownConfig.UnsolvableFraction"/> asks otherwise.</para>
/// </summary>
public sealed class CountdownEnvironment : TaskEnvironment<CountdownSpec, CountdownState>, IStepEnumerator
{
    private static readonly string[] NoSolutionWords = ["no solution", "impossible", "unsolvable", "none"];

    /// <summary>Makes the TV-rules environment (<c>countdown</c>).</summary>
    public CountdownEnvironment() : this(new CountdownConfig()) { }

    /// <summary>Makes an environment with the given rules (e.g. <see cref="CountdownConfig.Game24"/>).</summary>
    public CountdownEnvironment(CountdownConfig config)
    {
        Config = config;
        // With rationals the oracle's worst case grows fast: at most MaxNumbers(true) numbers, so one level fewer.
        int top = config.FixedCount is null && config.AllowRationals ? MaxNumbers(true) - 2 : 5;
        Difficulty = config.FixedTarget is not null
            ? new DifficultySpec(1, 3, 2, "4 numbers drawn from 1..9 (1), 1..13 (2) or 1..20 (3)")
            : new DifficultySpec(1, top, 2, top == 5
                ? "difficulty + 2 numbers, drawn from 1..10, 25, 50, 100, 100; targets up to 100, 250, 500, 999, 999"
                : "difficulty + 2 numbers, drawn from 1..10, 25, 50, 100; targets up to 100, 250, 500, 999");
    }

    /// <summary>The rules and generator settings.</summary>
    public CountdownConfig Config { get; }

    /// <inheritdoc />
    public override string Name => Config.Name;

    /// <inheritdoc />
    public override string Description => Config.FixedTarget is { } t
        ? $"make {t} from {Config.FixedCount ?? 4} numbers with + - * / ({Rules(Config.AllowRationals, Config.MustUseAll)})"
        : $"make a target from numbers with + - * / ({Rules(Config.AllowRationals, Config.MustUseAll)})";

    /// <inheritdoc />
    public override DifficultySpec Difficulty { get; }

    private static string Rules(bool rationals, bool all) =>
        (rationals ? "rationals allowed" : "positive integers, exact division") + ", " + (all ? "all numbers used" : "any subset");

    /// <inheritdoc />
    public override Problem Sample(ulong seed, int difficulty)
    {
        Difficulty.Check(difficulty);
        var rng = EnvRandom.For(Name, seed, difficulty);
        int count = Config.CountAt(difficulty);
        int max = Config.MaxValueAt(difficulty);
        var (tMin, tMax) = Config.TargetRangeAt(difficulty);
        bool wantUnsolvable = Config.UnsolvableFraction > 0 && rng.Chance(Config.UnsolvableFraction);
        var numbers = new Rational[count];
        for (int attempt = 0; attempt < 100_000; attempt++)
        {
            for (int i = 0; i < count; i++) numbers[i] = rng.NextInt(1, max + 1);
            Rational target = Config.FixedTarget is { } ft ? ft
                : wantUnsolvable ? rng.NextInt(tMin, tMax + 1)
                : RandomReachable(ref rng, numbers, tMin, tMax);
            if (target.IsZero) continue; // no suitable target from these numbers; draw again
            var spec = new CountdownSpec((Rational[])numbers.Clone(), target, Config.AllowRationals, Config.MustUseAll);
            if (spec.Solvable == wantUnsolvable) continue;
            var parameters = Parameters(spec);
            string answer = wantUnsolvable ? "no solution" : spec.Reference!.Answer;
            return new Problem(Name, $"{Name}-d{difficulty}-s{seed}", Question(spec), answer, difficulty, seed, parameters, spec);
        }
        throw new InvalidOperationException($"{Name}: no problem found for seed {seed}, difficulty {difficulty}");
    }

    // Combines the numbers (all of them, or a random subset of at least two) in a random legal order; returns the
    // result when it is an integer target in range, otherwise zero.
    private Rational RandomReachable(ref Rng rng, Rational[] numbers, int tMin, int tMax)
    {
        var pool = new List<Rational>(numbers);
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pool));
        int use = Config.MustUseAll ? pool.Count : rng.NextInt(2, pool.Count + 1);
        pool.RemoveRange(use, pool.Count - use);
        while (pool.Count > 1)
        {
            int i = rng.NextInt(pool.Count);
            int j = rng.NextInt(pool.Count - 1);
            if (j >= i) j++;
            Rational a = pool[i], b = pool[j], r = default;
            bool ok = false;
            for (int tries = 0; tries < 8 && !ok; tries++)
            {
                char op = "+-*/"[rng.NextInt(4)];
                ok = BinaryStep.TryApply(a, op, b, out r) && (Config.AllowRationals ? !r.IsZero : r.Sign > 0 && r.IsInteger);
            }
            if (!ok) return default;
            pool.RemoveAt(Math.Max(i, j));
            pool.RemoveAt(Math.Min(i, j));
            pool.Add(r);
        }
        var t = pool[0];
        if (!t.IsInteger || t < tMin || t > tMax) return default;
        foreach (var n in numbers) if (n == t) return default; // too easy
        return t;
    }

    private JsonObject Parameters(CountdownSpec spec)
    {
        var nums = new JsonArray();
        foreach (var n in spec.Numbers) nums.Add(Metadata.ToJson(n));
        return new JsonObject
        {
            ["numbers"] = nums,
            ["target"] = Metadata.ToJson(spec.Target),
            ["allow_rationals"] = spec.Solver.AllowRationals,
            ["must_use_all"] = spec.Solver.MustUseAll,
        };
    }

    private static string Question(CountdownSpec spec)
    {
        var s = spec.Solver;
        return $"Using the numbers {string.Join(", ", spec.Numbers)}, make {spec.Target}. " +
               $"Combine two numbers at a time with +, -, *, /; each number may be used at most once" +
               (s.MustUseAll ? " and every number must be used" : "") +
               (s.AllowRationals ? "; fractions are allowed." : "; every intermediate result must be a positive integer.") +
               " Give your final answer as an expression, e.g. (8-3)*4+4.";
    }

    /// <inheritdoc />
    public override Problem Load(ProblemRecord record)
    {
        var meta = record.Metadata;
        bool rationals = Metadata.Bool(meta, "allow_rationals", Config.AllowRationals);
        bool all = Metadata.Bool(meta, "must_use_all", Config.MustUseAll);
        // The exact oracle is exhaustive: bound the worst case (a proved-unsolvable problem) to seconds.
        var numbers = Metadata.Numbers(meta, "numbers", 1, MaxNumbers(rationals));
        var target = Metadata.Number(Metadata.Required(meta, "target"), "target");
        foreach (var n in numbers)
            if (n.DigitCount > 40) throw new InvalidDataException("metadata \"numbers\" holds a number too large");
        var spec = new CountdownSpec(numbers, target, rationals, all);
        return new Problem(Name, record.Id, record.Question, record.Answer, Metadata.Difficulty(meta), Metadata.Seed(meta), Parameters(spec), spec);
    }

    /// <summary>
    /// The most numbers a problem may have: 7 under the TV rules, 6 with rationals. Beyond that, proving a problem
    /// unsolvable with the exhaustive oracle can take minutes.
    /// </summary>
    public static int MaxNumbers(bool allowRationals) => allowRationals ? 6 : 7;

    /// <inheritdoc />
    protected override CountdownState Start(CountdownSpec spec) => new((Rational[])spec.Numbers.Clone());

    /// <summary>
    /// Every move from <paramref name="state"/> the step grammar forms: each pair of available numbers and operator,
    /// once for + and ×, both orders for − and ÷ (division by zero left out), in index order. The rules (positive
    /// integers under the TV rules) are the step verifier's to apply.
    /// </summary>
    public IReadOnlyList<string> CandidateSteps(Problem problem, EnvState state)
    {
        var avail = ((CountdownState)state).Available;
        var result = new List<string>();
        for (int i = 0; i < avail.Length; i++)
            for (int j = 0; j < avail.Length; j++)
            {
                if (i == j) continue;
                foreach (char op in "+-*/")
                {
                    if ((op is '+' or '*') && j < i) continue;
                    if (BinaryStep.TryApply(avail[i], op, avail[j], out var r)) result.Add($"{avail[i]} {op} {avail[j]} = {r}");
                }
            }
        return result;
    }

    /// <inheritdoc />
    protected override StepVerdict CheckStep(CountdownSpec spec, CountdownState state, string step)
    {
        if (!BinaryStep.TryParse(step, out var s, out string error))
            return StepVerdict.Reject(VerdictKind.Malformed, error, state);
        var avail = state.Available;
        int i = -1, j = -1;
        for (int k = 0; k < avail.Length; k++) if (avail[k] == s.Left) { i = k; break; }
        if (i < 0) return StepVerdict.Reject(VerdictKind.Invalid, $"{s.Left} is not available", state);
        for (int k = 0; k < avail.Length; k++) if (k != i && avail[k] == s.Right) { j = k; break; }
        if (j < 0) return StepVerdict.Reject(VerdictKind.Invalid, s.Right == s.Left ? $"{s.Right} is available only once" : $"{s.Right} is not available", state);
        if (!BinaryStep.TryApply(s.Left, s.Op, s.Right, out var r))
            return StepVerdict.Reject(VerdictKind.Invalid, "division by zero", state);
        if (r != s.Result) return StepVerdict.Reject(VerdictKind.Invalid, "wrong arithmetic", state);
        if (!spec.Solver.IsLegalValue(r))
            return StepVerdict.Reject(VerdictKind.Invalid, "the result is not a positive integer (the rules allow only exact division and positive results)", state);

        var next = new Rational[avail.Length - 1];
        int w = 0;
        for (int k = 0; k < avail.Length; k++) if (k != i && k != j) next[w++] = avail[k];
        next[w] = r;
        bool solvable = spec.Solver.CanReach(next);
        bool reached = r == spec.Target && (!spec.Solver.MustUseAll || next.Length == 1);
        var newState = new CountdownState(next) { Depth = state.Depth + 1 };
        return new StepVerdict(VerdictKind.Ok, reached ? "target reached" : "ok", solvable ? 1.0 : Config.DeadEndReward, newState,
            solvable ? Solvability.Yes : Solvability.No, reached || next.Length == 1);
    }

    /// <inheritdoc />
    protected override AnswerVerdict CheckAnswer(CountdownSpec spec, string answer)
    {
        var text = answer.AsSpan().Trim();
        foreach (var word in NoSolutionWords)
        {
            if (text.Equals(word, StringComparison.OrdinalIgnoreCase))
                return spec.Solvable ? AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "the problem has a solution")
                    : AnswerVerdict.Right("correctly says there is no solution");
        }
        if (text.IndexOfAny('\n', ';') >= 0) return CheckStepAnswer(spec, text);
        var result = ExpressionChecker.Evaluate(text, spec.Numbers, !spec.Solver.AllowRationals);
        if (result.Kind != VerdictKind.Ok) return AnswerVerdict.Wrong(result.Kind, result.Reason);
        if (spec.Solver.MustUseAll && result.Used != spec.Numbers.Length)
            return AnswerVerdict.Wrong(VerdictKind.Invalid, "every number must be used");
        return result.Value == spec.Target
            ? AnswerVerdict.Right("makes the target")
            : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "the expression does not make the target");
    }

    private AnswerVerdict CheckStepAnswer(CountdownSpec spec, ReadOnlySpan<char> text)
    {
        EnvState state = Start(spec);
        bool reached = false;
        foreach (var range in text.SplitAny('\n', ';'))
        {
            var line = text[range].Trim();
            if (line.IsEmpty) continue;
            var v = CheckStep(spec, (CountdownState)state, line.ToString());
            if (!v.Valid) return AnswerVerdict.Wrong(v.Kind, $"step '{line}': {v.Reason}");
            state = v.State;
            reached = v.Reason == "target reached";
        }
        return reached ? AnswerVerdict.Right("the steps make the target") : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "the steps do not make the target");
    }

    /// <inheritdoc />
    protected override Solution? Solve(CountdownSpec spec) => spec.Reference;
}
