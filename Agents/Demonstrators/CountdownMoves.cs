using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Agents.Demonstrators;

/// <summary>Enumerates the valid countdown steps from a state, in the solver's text form, with their verdicts.</summary>
internal static class CountdownMoves
{
    /// <summary>Every valid step from <paramref name="state"/> (each pair and operator once), checked by the environment.</summary>
    public static List<(string Text, StepVerdict Verdict)> Valid(IEnvironment env, Problem problem, CountdownState state)
    {
        var result = new List<(string, StepVerdict)>();
        var seen = new HashSet<string>();
        var a = state.Available;
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j < a.Length; j++)
            {
                if (i == j) continue;
                foreach (char op in "+-*/")
                {
                    // One order for commutative operators; the larger number first for - and / (positive results).
                    if ((op == '+' || op == '*') && j < i) continue;
                    if (!Sim.Environments.Exact.BinaryStep.TryApply(a[i], op, a[j], out var r)) continue;
                    string text = $"{a[i]} {op} {a[j]} = {r}";
                    if (!seen.Add(text)) continue;
                    var v = env.CheckStep(problem, state, text);
                    if (v.Valid) result.Add((text, v));
                }
            }
        }
        return result;
    }

    /// <summary>The available numbers as text, e.g. <c>5 4</c>.</summary>
    public static string Left(EnvState state) => state is CountdownState c ? string.Join(" ", c.Available) : state.ToString();

    /// <summary>Whether the target is among the available numbers (the goal test of the any-subset rules).</summary>
    public static bool Reached(Problem problem, CountdownState state)
    {
        var spec = (CountdownSpec)problem.Spec;
        if (spec.Solver.MustUseAll) return state.Available.Length == 1 && state.Available[0] == spec.Target;
        return state.Available.Any(x => x == spec.Target);
    }
}
