using System.Globalization;

namespace Sim.Systems.Search;

/// <summary>
/// A per-agent compute limit in one <see cref="BudgetUnit"/>. An agent stops starting new work once its
/// <see cref="ComputeLedger"/> reaches the limit, and commits its best answer so far. Work already batched in a tick
/// finishes, so an agent may overshoot by at most one tick's worth (for example one MCTS expansion of K lines).
/// </summary>
/// <param name="Unit">What is counted.</param>
/// <param name="Limit">The most that may be spent; must be positive.</param>
public readonly record struct Budget(BudgetUnit Unit, double Limit)
{
    /// <summary>True when <paramref name="ledger"/> has reached the limit.</summary>
    public bool Exhausted(in ComputeLedger ledger) => ledger.Get(Unit) >= Limit;

    /// <summary>What is left in this budget's unit (never negative).</summary>
    public double Remaining(in ComputeLedger ledger) => Math.Max(0, Limit - ledger.Get(Unit));

    /// <summary>The fraction of the budget spent, in [0, 1].</summary>
    public double Fraction(in ComputeLedger ledger) => Math.Clamp(ledger.Get(Unit) / Limit, 0, 1);

    /// <summary>The unit names accepted by <see cref="Parse"/>.</summary>
    public static readonly IReadOnlyList<string> UnitNames = ["tokens", "policy_calls", "rm_calls", "verifier_calls", "wall_ms"];

    /// <summary>Parses a unit name: <c>tokens</c>, <c>policy_calls</c>, <c>rm_calls</c>, <c>verifier_calls</c> or <c>wall_ms</c>.</summary>
    public static BudgetUnit ParseUnit(string text) => text.Trim().ToLowerInvariant() switch
    {
        "tokens" => BudgetUnit.Tokens,
        "policy_calls" or "policy" or "samples" => BudgetUnit.PolicyCalls,
        "rm_calls" or "reward_model_calls" => BudgetUnit.RewardModelCalls,
        "verifier_calls" or "verifier" => BudgetUnit.VerifierCalls,
        "wall_ms" or "ms" => BudgetUnit.WallMs,
        _ => throw new FormatException($"unknown budget unit '{text}'; known: {string.Join(", ", UnitNames)}"),
    };

    /// <summary>The name of a unit as <see cref="ParseUnit"/> reads it.</summary>
    public static string UnitName(BudgetUnit unit) => UnitNames[(int)unit];

    /// <summary>Parses <c>UNIT:LIMIT</c>, e.g. <c>tokens:4096</c> or <c>policy_calls:64</c>.</summary>
    public static Budget Parse(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0) throw new FormatException($"budget '{text}' must be UNIT:LIMIT, e.g. tokens:4096");
        var unit = ParseUnit(text[..colon]);
        if (!double.TryParse(text[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double limit) || !(limit > 0) || double.IsInfinity(limit))
            throw new FormatException($"budget limit in '{text}' must be a positive number");
        return new Budget(unit, limit);
    }

    /// <inheritdoc />
    public override string ToString() => $"{UnitName(Unit)}:{Limit.ToString(CultureInfo.InvariantCulture)}";
}
