namespace Sim.Replay;

/// <summary>
/// A replay is corrupt, cut short, or not a replay at all. <see cref="Offset"/> is the byte offset in the file where
/// the problem was found; the message names it. Derives from <see cref="FormatException"/>, which the CLI maps to
/// exit code 2.
/// </summary>
public sealed class ReplayFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/>.</summary>
    public ReplayFormatException(long offset, string problem, bool truncated = false, Exception? inner = null)
        : base($"{problem} at offset {offset}", inner)
    {
        Offset = offset;
        Problem = problem;
        Truncated = truncated;
    }

    /// <summary>Byte offset in the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The problem, without the offset.</summary>
    public string Problem { get; }

    /// <summary>True when the file simply ends early (a crash or an unfinished copy) rather than holding wrong bytes.</summary>
    public bool Truncated { get; }
}
