namespace Sim.Environments.Code;

/// <summary>
/// The limits of one sandboxed run (all tests of one submission). Every limit is enforced by Jint or by the guards
/// that <see cref="JsSandbox"/> installs; see <c>docs/sandbox.md</c> for the threat model.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>Statements executed, over the whole run.</summary>
    public int MaxStatements { get; init; } = 1_000_000;

    /// <summary>Wall time of the whole run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes the run may allocate (Jint's allocation-based memory constraint).</summary>
    public long MemoryBytes { get; init; } = 64L << 20;

    /// <summary>Nested JavaScript calls. Without a limit, deep recursion overflows the native stack and kills the process.</summary>
    public int MaxRecursion { get; init; } = 256;

    /// <summary>Elements in one array.</summary>
    public uint MaxArraySize { get; init; } = 1_000_000;

    /// <summary>
    /// Characters in one string made by one call of a string-building primitive (repeat, padStart, padEnd, join,
    /// concat, replace, replaceAll, JSON.stringify...). This closes the single-huge-allocation hole that an
    /// allocation-sampling memory limit cannot see: <c>'x'.repeat(3e8)</c> is refused before it allocates.
    /// </summary>
    public int MaxStringLength { get; init; } = 1 << 20;

    /// <summary>Time one regular-expression match may take (catastrophic backtracking).</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The defaults.</summary>
    public static SandboxLimits Default { get; } = new();
}
