using Sim.Environments;
using Sim.Environments.Countdown;

namespace Sim.Agents.Demonstrators;

/// <summary>
/// The prompt a demonstration (and a trained policy) sees for a problem. Countdown problems get a compact form,
/// <c>Numbers: 3 5 8\nGoal: 24\n</c>, because every prompt token costs a small model context; every other environment
/// gets its question followed by a newline.
/// </summary>
public static class DemoPrompt
{
    /// <summary>The prompt text for <paramref name="problem"/>; it always ends with a newline.</summary>
    public static string For(IEnvironment env, Problem problem)
    {
        if (problem.Spec is CountdownSpec s)
            return $"Numbers: {string.Join(" ", s.Numbers)}\nGoal: {s.Target}\n";
        return problem.Question.TrimEnd('\n') + "\n";
    }
}
