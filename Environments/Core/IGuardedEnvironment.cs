namespace Sim.Environments;

/// <summary>
/// An environment whose <see cref="IEnvironment.CheckStep"/> and <see cref="IEnvironment.CheckAnswer"/> already turn
/// its own faults into <see cref="VerdictKind.EnvironmentError"/> verdicts (every
/// <see cref="TaskEnvironment{TSpec, TState}"/>), so <see cref="EnvironmentGuard"/> calls it as it is.
/// </summary>
public interface IGuardedEnvironment : IEnvironment;
