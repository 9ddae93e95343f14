namespace Sim.Environments.Code;

/// <summary>The outcome of running a submission against tests.</summary>
/// <param name="Kind">Ok when every test passed; otherwise the first failure: syntax error, runtime error, timeout, memory, recursion, wrong answer.</param>
/// <param name="Passed">Tests passed.</param>
/// <param name="Total">Tests run.</param>
/// <param name="Detail">One line on the first failure (or "all tests passed").</param>
public readonly record struct SandboxResult(VerdictKind Kind, int Passed, int Total, string Detail)
{
    /// <summary>The fraction of tests passed, in [0, 1].</summary>
    public double Fraction => Total == 0 ? 0 : (double)Passed / Total;
}
