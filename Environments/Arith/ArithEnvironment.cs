using System.Text.Json.Nodes;
using Sim.Engine;
using Sim.Environments.Exact;

namespace Sim.Environments.Arith;

/// <summary>
/// Multi-step exact arithmetic over integers and fractions: evaluate an expression such as <c>(3/4) + 5 * (2 - 7)</c>.
/// <para><b>Observation.</b> The expression; the state is the set of operations already computed and the values derived.</para>
/// <para><b>Step.</b> One operation, <c>a op b = c</c> (<c>17*3=51</c>, <c>(3/4) + 5 = 23/4</c>). It is valid when c is
/// exactly a op b and both a and b are available: a number written in the problem (a fraction such as 3/4 counts as
/// one number) or a value derived by an earlier step. Arithmetic is exact (<see cref="Rational"/>, never floating point).</para>
/// <para><b>Process reward</b> in [0, 1]: 1 when the step computes an operation of the expression whose operands are
/// ready (progress), <see cref="NoProgressReward"/> when it is correct but computes nothing the expression needs, 0 when
/// invalid. <see cref="StepVerdict.SolvableFromHere"/> is always Yes: an arithmetic problem cannot be lost.</para>
/// <para><b>Answer.</b> An exact number; "0.5", "1/2" and "2/4" are equal. Outcome 1 when it equals the value.</para>
/// <para><b>Episode end.</b> The step that computes the last operation is terminal. <b>Difficulty</b> 1–5: difficulty + 1
/// operations over integers up to 10·difficulty; fractions from difficulty 3.</para>
/// </summary>
public sealed class ArithEnvironment : TaskEnvironment<ArithExpression, ArithState>
{
    /// <summary>The process reward of a correct step that makes no progress.</summary>
    public const double NoProgressReward = 0.3;

    /// <inheritdoc />
    public override string Name => "arith";

    /// <inheritdoc />
    public override string Description => "multi-step exact arithmetic over integers and fractions";

    /// <inheritdoc />
    public override DifficultySpec Difficulty { get; } =
        new(1, 5, 2, "difficulty + 1 operations over integers up to 10*difficulty; fractions from level 3");

    /// <inheritdoc />
    public override Problem Sample(ulong seed, int difficulty)
    {
        Difficulty.Check(difficulty);
        var rng = EnvRandom.For(Name, seed, difficulty);
        for (int attempt = 0; ; attempt++)
        {
            var nodes = new List<(char, int, int, Rational)>();
            int ops = difficulty + 1;
            int root = Build(ref rng, nodes, ops, difficulty);
            if (root != nodes.Count - 1) throw new InvalidOperationException("generator: root is not last");
            ArithExpression built;
            try { built = ArithExpression.FromNodes(nodes); }
            catch (ArgumentException) { continue; } // division by zero: draw again
            // Keep numbers readable: no value with a numerator or denominator beyond 10^6.
            if (built.Nodes.Any(n => n.Value.DigitCount > 40 || BigAbs(n.Value) > 1_000_000)) continue;
            var expr = ArithExpression.Parse(built.Text);
            return Make(expr, $"arith-d{difficulty}-s{seed}", difficulty, seed);
        }
    }

    private static long BigAbs(Rational r) =>
        r.IsSmall ? Math.Max(Math.Abs(r.SmallNum == long.MinValue ? long.MaxValue : r.SmallNum), r.SmallDen) : long.MaxValue;

    private static int Build(ref Rng rng, List<(char, int, int, Rational)> nodes, int ops, int difficulty)
    {
        if (ops == 0)
        {
            int max = 10 * difficulty;
            Rational leaf = difficulty >= 3 && rng.Chance(0.3)
                ? Rational.Create(rng.NextInt(1, 10), rng.NextInt(2, 10))
                : rng.NextInt(1, max + 1);
            nodes.Add(('\0', -1, -1, leaf));
            return nodes.Count - 1;
        }
        int leftOps = rng.NextInt(ops);
        int l = Build(ref rng, nodes, leftOps, difficulty);
        int r = Build(ref rng, nodes, ops - 1 - leftOps, difficulty);
        char op = "+-*/"[rng.NextInt(difficulty == 1 ? 3 : 4)];
        nodes.Add((op, l, r, default));
        return nodes.Count - 1;
    }

    private Problem Make(ArithExpression expr, string id, int difficulty, ulong? seed)
    {
        var parameters = new JsonObject { ["expression"] = expr.Text };
        string question = $"Compute {expr.Text} exactly. Work one operation per step, written like 17*3=51, " +
                          "and give the final answer as an exact number (an integer or a fraction such as 7/3).";
        return new Problem(Name, id, question, expr.Value.ToString(), difficulty, seed, parameters, expr);
    }

    /// <inheritdoc />
    public override Problem Load(ProblemRecord record)
    {
        string text = Metadata.String(record.Metadata, "expression") ?? throw new InvalidDataException("metadata lacks \"expression\"");
        ArithExpression expr;
        try { expr = ArithExpression.Parse(text); }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"metadata \"expression\": {ex.Message}");
        }
        return Make(expr, record.Id, Metadata.Difficulty(record.Metadata), Metadata.Seed(record.Metadata));
    }

    /// <inheritdoc />
    protected override ArithState Start(ArithExpression spec)
    {
        ulong mask = 0;
        foreach (var n in spec.Nodes) if (n.Op != '\0' && spec.IsFractionLiteral(n)) mask |= 1UL << n.Inner;
        return new ArithState(mask, []);
    }

    private static bool Available(ArithExpression spec, ArithState state, Rational v)
    {
        foreach (var l in spec.Literals) if (l == v) return true;
        foreach (var d in state.Derived) if (d == v) return true;
        return false;
    }

    private static bool Ready(ArithExpression spec, ulong computed, int child) =>
        spec.Nodes[child].Op == '\0' || (computed & (1UL << spec.Nodes[child].Inner)) != 0;

    /// <inheritdoc />
    protected override StepVerdict CheckStep(ArithExpression spec, ArithState state, string step)
    {
        if (!BinaryStep.TryParse(step, out var s, out string error))
            return StepVerdict.Reject(VerdictKind.Malformed, error, state, Solvability.Yes);
        if (!BinaryStep.TryApply(s.Left, s.Op, s.Right, out var r))
            return StepVerdict.Reject(VerdictKind.Invalid, "division by zero", state, Solvability.Yes);
        if (r != s.Result) return StepVerdict.Reject(VerdictKind.Invalid, "wrong arithmetic", state, Solvability.Yes);
        if (!Available(spec, state, s.Left)) return StepVerdict.Reject(VerdictKind.Invalid, $"{s.Left} is not available", state, Solvability.Yes);
        if (!Available(spec, state, s.Right)) return StepVerdict.Reject(VerdictKind.Invalid, $"{s.Right} is not available", state, Solvability.Yes);

        // Progress: the step computes an operation whose operands are ready (commutative operations in either order).
        ulong computed = state.Computed;
        var nodes = spec.Nodes;
        int hit = -1;
        for (int i = 0; i < nodes.Length; i++)
        {
            var n = nodes[i];
            if (n.Op != s.Op || (computed & (1UL << n.Inner)) != 0) continue;
            if (!Ready(spec, computed, n.Left) || !Ready(spec, computed, n.Right)) continue;
            Rational a = nodes[n.Left].Value, b = nodes[n.Right].Value;
            if ((a == s.Left && b == s.Right) || (n.Op is '+' or '*' && a == s.Right && b == s.Left)) { hit = i; break; }
        }
        var derived = state.Derived;
        bool known = false;
        foreach (var d in derived) if (d == r) { known = true; break; }
        if (!known)
        {
            var grown = new Rational[derived.Length + 1];
            derived.CopyTo(grown, 0);
            grown[^1] = r;
            derived = grown;
        }
        if (hit < 0)
            return new StepVerdict(VerdictKind.Ok, "correct, but not an operation the expression needs yet", NoProgressReward,
                new ArithState(computed, derived) { Depth = state.Depth + 1 }, Solvability.Yes, false);
        computed |= 1UL << nodes[hit].Inner;
        bool done = hit == spec.Root;
        return new StepVerdict(VerdictKind.Ok, done ? "expression evaluated" : "ok", 1.0,
            new ArithState(computed, derived) { Depth = state.Depth + 1 }, Solvability.Yes, done);
    }

    /// <inheritdoc />
    protected override AnswerVerdict CheckAnswer(ArithExpression spec, string answer)
    {
        if (!RationalParser.TryParse(answer, out var v))
            return AnswerVerdict.Wrong(VerdictKind.Malformed, "the answer is not an exact number (an integer, decimal or fraction)");
        return v == spec.Value ? AnswerVerdict.Right("exact value") : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "not the value of the expression");
    }

    /// <inheritdoc />
    protected override Solution? Solve(ArithExpression spec) => new(spec.ReferenceSteps(), spec.Value.ToString());
}
