using Sim.Environments;

namespace Sim.Agents.Policies;

/// <summary>
/// What a policy sees for one agent: the problem, the lines written so far (steps, thoughts, corrections, in order) and
/// the environment state they led to. <paramref name="Key"/> identifies the agent or search node; policies derive their
/// random draws from it and the call's seed, so a context's proposals do not depend on which batch it came in.
/// </summary>
/// <param name="Env">The environment of the problem.</param>
/// <param name="Problem">The problem (its hidden answer is for simulated policies' error models only).</param>
/// <param name="State">The environment state after the effective steps.</param>
/// <param name="Lines">The trace so far, one line each (see <see cref="StepProtocol"/>).</param>
/// <param name="Key">A stable identifier of the agent or node asking.</param>
public readonly record struct PolicyContext(IEnvironment Env, Problem Problem, EnvState State, IReadOnlyList<string> Lines, ulong Key);
