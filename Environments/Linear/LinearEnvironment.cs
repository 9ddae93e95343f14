using System.Text.Json.Nodes;
using Sim.Environments.Exact;

namespace Sim.Environments.Linear;

/// <summary>
/// Linear equations in one unknown: solve <c>3(x + 2) = 5x - 4</c> for x.
/// <para><b>Observation.</b> The equation; the state is the current equation (the last valid step).</para>
/// <para><b>Step.</b> A transformed equation, e.g. <c>3x + 6 = 5x - 4</c>, then <c>-2x = -10</c>, then <c>x = 5</c>.
/// It is valid when it has exactly the same solution set as the equation before it (checked exactly, over rationals).</para>
/// <para><b>Process reward</b> in [0, 1]: 1 for a valid step that is simpler than the current equation (fewer numbers and
/// x's), <see cref="NoProgressReward"/> for a valid step that is not simpler, 0 for an invalid one.
/// <see cref="StepVerdict.SolvableFromHere"/> is Yes after a valid step (an equivalent equation keeps the answer).</para>
/// <para><b>Answer.</b> <c>x = v</c> (or just <c>v</c>), v exact. Outcome 1 when v is the solution.</para>
/// <para><b>Episode end.</b> A valid step in solved form (<c>x = v</c>) is terminal. <b>Difficulty</b> 1–5: 1
/// <c>ax + b = c</c>; 2 x on both sides; 3 a bracket; 4 fractional coefficients; 5 two brackets and a fractional solution.</para>
/// </summary>
public sealed class LinearEnvironment : TaskEnvironment<LinearSpec, LinearState>
{
    /// <summary>The process reward of a valid step that does not simplify the equation.</summary>
    public const double NoProgressReward = 0.5;

    /// <inheritdoc />
    public override string Name => "linear";

    /// <inheritdoc />
    public override string Description => "linear equations in one unknown, solved by equivalent transformations";

    /// <inheritdoc />
    public override DifficultySpec Difficulty { get; } =
        new(1, 5, 2, "1: ax+b=c; 2: x on both sides; 3: a bracket; 4: fractional coefficients; 5: two brackets, fractional solution");

    /// <inheritdoc />
    public override Problem Sample(ulong seed, int difficulty)
    {
        Difficulty.Check(difficulty);
        var rng = EnvRandom.For(Name, seed, difficulty);
        for (int attempt = 0; ; attempt++)
        {
            int Nz(ref Sim.Engine.Rng r, int max) { int v = r.NextInt(1, max + 1); return r.Chance(0.3) ? -v : v; }
            Rational x = difficulty >= 5 ? Rational.Create(Nz(ref rng, 9), rng.NextInt(2, 5)) : Nz(ref rng, 10);
            Rational a = Nz(ref rng, 9), b = Nz(ref rng, 20), c = Nz(ref rng, 9), d = Nz(ref rng, 9);
            string lhs;
            Rational lhsValue;
            switch (difficulty)
            {
                case 1:
                    lhs = $"{Coef(a)}x {Signed(b)}";
                    lhsValue = a * x + b;
                    return MakeFrom($"{lhs} = {lhsValue}", seed, difficulty);
                case 2:
                    if (a == c) continue;
                    lhsValue = a * x + b - c * x;
                    return MakeFrom($"{Coef(a)}x {Signed(b)} = {Coef(c)}x {Signed(lhsValue)}", seed, difficulty);
                case 3:
                    if (a == c) continue;
                    lhsValue = a * (x + d) - c * x;
                    return MakeFrom($"{a}(x {Signed(d)}) = {Coef(c)}x {Signed(lhsValue)}", seed, difficulty);
                case 4:
                {
                    Rational fa = Rational.Create(Nz(ref rng, 9), rng.NextInt(2, 5));
                    if (fa == c) continue;
                    lhsValue = fa * x + b - c * x;
                    return MakeFrom($"({fa})x {Signed(b)} = {Coef(c)}x {Signed(lhsValue)}", seed, difficulty);
                }
                default:
                {
                    if (a - c == Rational.Zero) continue;
                    lhsValue = a * (x + b) - c * (x - d);
                    return MakeFrom($"{a}(x {Signed(b)}) - {Paren(c)}(x {Signed(-d)}) = {lhsValue}", seed, difficulty);
                }
            }
        }
    }

    private static string Paren(Rational r) => r.Sign < 0 || !r.IsInteger ? $"({r})" : r.ToString();
    private static string Coef(Rational r) => r == Rational.One ? "" : r == -Rational.One ? "-" : r.IsInteger ? r.ToString() : $"({r})";
    private static string Signed(Rational r) => r.Sign < 0 ? $"- {Paren(-r)}" : $"+ {Paren(r)}";

    private Problem MakeFrom(string text, ulong seed, int difficulty)
    {
        text = text.Replace("= + ", "= ").Replace("= - ", "= -");
        if (!LinearEquation.TryParse(text, out var eq, out var err)) throw new InvalidOperationException($"generator wrote a bad equation '{text}': {err}");
        if (eq.Kind != SolutionKind.One) throw new InvalidOperationException($"generator wrote '{text}' without a unique solution");
        return Make(new LinearSpec(text, eq), $"linear-d{difficulty}-s{seed}", difficulty, seed);
    }

    private Problem Make(LinearSpec spec, string id, int difficulty, ulong? seed)
    {
        string question = $"Solve for x: {spec.Text}. Write each step as an equivalent equation, end with x = value, " +
                          "and give the final answer as x = value (exact; fractions allowed).";
        string answer = spec.Equation.Kind == SolutionKind.One ? $"x = {spec.Equation.Solution}" : spec.Equation.Kind == SolutionKind.None ? "no solution" : "all x";
        return new Problem(Name, id, question, answer, difficulty, seed, new JsonObject { ["equation"] = spec.Text }, spec);
    }

    /// <inheritdoc />
    public override Problem Load(ProblemRecord record)
    {
        string text = Metadata.String(record.Metadata, "equation") ?? throw new InvalidDataException("metadata lacks \"equation\"");
        if (!LinearEquation.TryParse(text, out var eq, out var err)) throw new InvalidDataException($"metadata \"equation\": {err}");
        return Make(new LinearSpec(text, eq), record.Id, Metadata.Difficulty(record.Metadata), Metadata.Seed(record.Metadata));
    }

    /// <inheritdoc />
    protected override LinearState Start(LinearSpec spec) => new(spec.Text, spec.Equation);

    /// <inheritdoc />
    protected override StepVerdict CheckStep(LinearSpec spec, LinearState state, string step)
    {
        if (!LinearEquation.TryParse(step, out var eq, out var err))
            return StepVerdict.Reject(VerdictKind.Malformed, err, state, Solvability.Yes);
        if (!eq.SameSolutionsAs(state.Equation))
            return StepVerdict.Reject(VerdictKind.Invalid, "not equivalent: the solution set changed", state, Solvability.Yes);
        bool simpler = eq.Size < state.Equation.Size;
        var next = new LinearState(step.Trim(), eq) { Depth = state.Depth + 1 };
        return new StepVerdict(VerdictKind.Ok, eq.IsSolvedForm ? "solved" : simpler ? "ok" : "equivalent, but not simpler",
            simpler || eq.IsSolvedForm ? 1.0 : NoProgressReward, next, Solvability.Yes, eq.IsSolvedForm);
    }

    /// <inheritdoc />
    protected override AnswerVerdict CheckAnswer(LinearSpec spec, string answer)
    {
        var text = answer.AsSpan().Trim();
        if (spec.Equation.Kind != SolutionKind.One)
        {
            bool none = spec.Equation.Kind == SolutionKind.None;
            bool said = none ? text.Equals("no solution", StringComparison.OrdinalIgnoreCase) : text.Equals("all x", StringComparison.OrdinalIgnoreCase);
            return said ? AnswerVerdict.Right("correct solution set") : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, none ? "the equation has no solution" : "every x solves it");
        }
        int eq = text.IndexOf('=');
        if (eq >= 0)
        {
            var name = text[..eq].Trim();
            if (!name.Equals("x", StringComparison.OrdinalIgnoreCase)) return AnswerVerdict.Wrong(VerdictKind.Malformed, "expected x = value");
            text = text[(eq + 1)..];
        }
        if (!RationalParser.TryParse(text, out var v)) return AnswerVerdict.Wrong(VerdictKind.Malformed, "the value is not an exact number");
        return v == spec.Equation.Solution ? AnswerVerdict.Right("the solution") : AnswerVerdict.Wrong(VerdictKind.WrongAnswer, "not the solution");
    }

    /// <inheritdoc />
    protected override Solution? Solve(LinearSpec spec)
    {
        var e = spec.Equation;
        if (e.Kind != SolutionKind.One) return null;
        var a = e.Left.A - e.Right.A;
        var c = e.Right.B - e.Left.B;
        string coef = a == Rational.One ? "" : a == -Rational.One ? "-" : a.IsInteger ? a.ToString() : $"({a})";
        var steps = new List<string>();
        if (!(a == Rational.One)) steps.Add($"{coef}x = {c}");
        steps.Add($"x = {e.Solution}");
        return new Solution(steps, $"x = {e.Solution}");
    }
}
