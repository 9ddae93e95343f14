using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>A countdown problem: the numbers, the target and the rules, with the solver for them.</summary>
public sealed class CountdownSpec
{
    private int _solvable = -1;

    /// <summary>Makes a spec.</summary>
    public CountdownSpec(Rational[] numbers, Rational target, bool allowRationals, bool mustUseAll)
    {
        Numbers = numbers;
        Target = target;
        Solver = new CountdownSolver(target, allowRationals, mustUseAll);
    }

    /// <summary>The starting numbers.</summary>
    public Rational[] Numbers { get; }

    /// <summary>The value to make.</summary>
    public Rational Target { get; }

    /// <summary>The oracle and reference solver for this target and these rules.</summary>
    public CountdownSolver Solver { get; }

    /// <summary>Whether the starting numbers can make the target (computed once).</summary>
    public bool Solvable
    {
        get
        {
            if (_solvable < 0) _solvable = Solver.CanReach(Numbers) ? 1 : 0;
            return _solvable == 1;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Numbers)}] -> {Target}";
}
