namespace Sim.Environments;

/// <summary>An environment that samples how long its verifier takes (every <see cref="TaskEnvironment{TSpec, TState}"/>).</summary>
public interface ITimedEnvironment
{
    /// <summary>The verifier's sampled call times and per-call limit.</summary>
    VerifierTimings Timings { get; }
}
