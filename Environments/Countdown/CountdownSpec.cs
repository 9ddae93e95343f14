using Sim.Environments.Exact;

namespace Sim.Environments.Countdown;

/// <summary>A countdown problem: the numbers, the target and the rules, with the solver for them.</summary>
public sealed class CountdownSpec
{
    private int _solvable = -1;
    private Solution? _reference;
    private bool _solved;

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

    /// <summary>
    /// The reference solution (null when there is none), computed once: sampling the problem needs its answer and a
    /// simulated policy its steps, and `sim run` samples a problem for every episode.
    /// </summary>
    public Solution? Reference
    {
        get
        {
            // A race only computes the same solution twice.
            if (!Volatile.Read(ref _solved))
            {
                _reference = Solver.Solve(Numbers);
                Volatile.Write(ref _solved, true);
            }
            return _reference;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Numbers)}] -> {Target}";
}
