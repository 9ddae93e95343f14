namespace Sim.Environments;

/// <summary>
/// The verdict on one reasoning step, returned by <see cref="IEnvironment.CheckStep"/>.
/// </summary>
/// <param name="Kind"><see cref="VerdictKind.Ok"/> when the step is valid; otherwise why it is not.</param>
/// <param name="Reason">One line for people (and for an agent's feedback), e.g. <c>"7 is not available"</c>.</param>
/// <param name="ProcessReward">The step's process reward, within the environment's <see cref="IEnvironment.ProcessRewardRange"/>.</param>
/// <param name="State">The state after the step; for an invalid step, the state before it (unchanged).</param>
/// <param name="SolvableFromHere">Whether a correct answer is still reachable from <paramref name="State"/>, where known.</param>
/// <param name="Terminal">True when the episode's work is finished at <paramref name="State"/> (the goal is reached, or no step is left).</param>
public readonly record struct StepVerdict(
    VerdictKind Kind,
    string Reason,
    double ProcessReward,
    EnvState State,
    Solvability SolvableFromHere,
    bool Terminal)
{
    /// <summary>True when the step was accepted.</summary>
    public bool Valid => Kind == VerdictKind.Ok;

    /// <summary>A rejected step: reward 0, the state unchanged.</summary>
    public static StepVerdict Reject(VerdictKind kind, string reason, EnvState state, Solvability solvable = Solvability.Unknown) =>
        new(kind, reason, 0.0, state, solvable, false);
}
