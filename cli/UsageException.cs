namespace Sim.Cli;

/// <summary>
/// Thrown for bad input that the user can fix (a wrong flag value, a missing file, a malformed line).
/// The CLI prints its message on one line and exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
public sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);
