namespace Sim.Environments;

/// <summary>
/// An environment failed on valid input where the caller cannot go on without its answer (a start state it could not
/// build, a verdict that came back <c>EnvironmentError</c> where one is required). The message names the environment
/// and the call; the CLI reports it in one line and exits 3, attributing the fault to the environment, not the user.
/// </summary>
public sealed class EnvironmentFaultException(string message, Exception? inner = null) : Exception(message, inner);
