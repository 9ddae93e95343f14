using System.Globalization;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// A per-episode budget as given on the command line: <c>UNIT:LIMIT</c> in a ledger unit (<c>tokens:2048</c>,
/// <c>policy_calls:64</c>, <c>verifier_calls:16</c>, <c>rm_calls:64</c>, <c>wall_ms:50</c>), or <c>attempts:B</c>:
/// B reference attempts' worth of policy calls, worked out per problem (see <see cref="SearchExperiment.AttemptCost"/>).
/// </summary>
/// <param name="Fixed">The fixed budget, or null for an attempt budget.</param>
/// <param name="Attempts">The attempt budget B, when <paramref name="Fixed"/> is null.</param>
public sealed record RunBudget(Budget? Fixed, int Attempts)
{
    /// <summary>Parses a budget option.</summary>
    public static RunBudget Parse(string text)
    {
        if (text.Trim().StartsWith("attempts:", StringComparison.OrdinalIgnoreCase))
        {
            string n = text.Trim()[9..];
            if (!int.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out int b) || b < 1 || b > 1_000_000)
                throw new FormatException($"attempt budget '{n}' must be an integer in 1..1000000");
            return new RunBudget(null, b);
        }
        return new RunBudget(Budget.Parse(text), 0);
    }

    /// <summary>The budget for one problem.</summary>
    public Budget For(IEnvironment env, Problem problem) =>
        Fixed ?? new Budget(BudgetUnit.PolicyCalls, Attempts * SearchExperiment.AttemptCost(env, problem, BudgetUnit.PolicyCalls));

    /// <summary>The attempt scale algorithms are shaped by (N for best-of-N and voting, the beam's size).</summary>
    public int Scale => Fixed is null ? Attempts : Math.Max(1, (int)Math.Min(1 << 20, Fixed.Value.Unit == BudgetUnit.PolicyCalls ? Fixed.Value.Limit / 4 : 8));

    /// <inheritdoc />
    public override string ToString() => Fixed?.ToString() ?? $"attempts:{Attempts}";
}
