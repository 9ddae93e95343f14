using Sim.Environments;

namespace Sim.Agents.Scoring;

/// <summary>
/// A trajectory with labels from the environment's verdicts, for reward-model training and calibration.
/// </summary>
/// <param name="Env">The environment.</param>
/// <param name="Problem">The problem.</param>
/// <param name="Lines">The trace.</param>
/// <param name="StepValues">Per line: the exact step value where the environment knows it (1 when the line is a valid step
/// after which the target is still reachable, or a correct answer; 0 when it is invalid, a dead end or a wrong answer);
/// NaN for lines without a verdict (thoughts).</param>
/// <param name="Outcome">1 when the trajectory's answer is correct, else 0.</param>
public sealed record LabelledTrajectory(IEnvironment Env, Problem Problem, IReadOnlyList<string> Lines, float[] StepValues, float Outcome);
