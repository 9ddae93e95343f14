namespace Sim.Environments;

/// <summary>
/// Why a step or an answer got its verdict. <see cref="Ok"/> is the only accepting kind; every other kind is a
/// rejection with a reason. Hostile or malformed input always gets one of these, never an exception.
/// </summary>
public enum VerdictKind : byte
{
    /// <summary>The step is valid, or the answer is correct.</summary>
    Ok = 0,

    /// <summary>The text could not be parsed in the environment's step or answer format (or was too long).</summary>
    Malformed = 1,

    /// <summary>Well formed, but breaks a rule: wrong arithmetic, an operand that is not available, a changed solution set.</summary>
    Invalid = 2,

    /// <summary>A well-formed final answer that is not the right one (for code: at least one test failed).</summary>
    WrongAnswer = 3,

    /// <summary>Code that does not parse.</summary>
    SyntaxError = 4,

    /// <summary>Code that threw while running.</summary>
    RuntimeError = 5,

    /// <summary>Code that ran past its wall-time or statement budget.</summary>
    Timeout = 6,

    /// <summary>Code that went over its memory, array-size or string-size limit.</summary>
    MemoryLimit = 7,

    /// <summary>Code that went over its recursion-depth limit.</summary>
    RecursionLimit = 8,

    /// <summary>
    /// The environment itself failed on this input: it threw, or returned a reward that is NaN, infinite or outside its
    /// declared range. The fault is the environment's, not the step's or the user's; the reason names the environment
    /// and the call (<see cref="EnvironmentGuard"/>).
    /// </summary>
    EnvironmentError = 9,
}
