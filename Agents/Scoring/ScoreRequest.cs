using Sim.Environments;

namespace Sim.Agents.Scoring;

/// <summary>One node for a reward model to score: the trajectory up to and including the node's line.</summary>
/// <param name="Env">The environment.</param>
/// <param name="Problem">The problem.</param>
/// <param name="Lines">The trajectory's lines, the scored line last.</param>
/// <param name="IsAnswer">True for a complete trajectory (an outcome score is wanted), false for a step (a process score).</param>
/// <param name="ExactLabel">The environment's exact label in [0, 1] (1 for a valid step from which the task is still
/// solvable or a correct answer); for simulated reward models only, like a simulated policy's access to the solution.
/// A learned model must not read it.</param>
/// <param name="Key">A stable identifier of the node, for simulated models' random draws.</param>
public readonly record struct ScoreRequest(IEnvironment Env, Problem Problem, IReadOnlyList<string> Lines, bool IsAnswer, double ExactLabel, ulong Key);
