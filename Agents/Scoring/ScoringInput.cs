using Sim.Environments;

namespace Sim.Agents.Scoring;

/// <summary>One trajectory to score: the problem and its lines (see <see cref="Policies.StepProtocol"/>).</summary>
/// <param name="Env">The environment.</param>
/// <param name="Problem">The problem.</param>
/// <param name="Lines">The trace, one line each.</param>
public readonly record struct ScoringInput(IEnvironment Env, Problem Problem, IReadOnlyList<string> Lines);
