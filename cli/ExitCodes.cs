namespace Sim.Cli;

/// <summary>Exit codes shared by every <c>sim</c> subcommand.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The run itself failed (a bug, an I/O failure, a failed check such as a failing conformance test).</summary>
    public const int RunFailed = 1;

    /// <summary>The input was bad: a wrong flag, a malformed file, a corrupt replay.</summary>
    public const int BadInput = 2;

    /// <summary>An environment or a model failed: it threw, or gave a NaN, infinite or out-of-range reward
    /// (<c>EnvironmentError</c> verdicts). Whatever was recorded is complete; the message names the environment.</summary>
    public const int EnvironmentFailed = 3;
}
