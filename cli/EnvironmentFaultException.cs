namespace Sim.Cli;

/// <summary>
/// An environment failed on the user's valid input (its verdict was <c>EnvironmentError</c>) where the command cannot
/// go on without that verdict: a one-line error and exit 3, attributed to the environment, not to the user.
/// </summary>
public sealed class EnvironmentFaultException(string message) : Exception(message);
