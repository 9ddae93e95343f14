namespace Sim.Environments.Ecs;

/// <summary>
/// The component holding an entity's episode: its current chain state and the rewards it has earned. The
/// <see cref="EnvironmentSystem"/> updates it; other systems read it (search backs up values, learning reads rewards).
/// </summary>
public struct EnvEpisode
{
    /// <summary>The current state of the entity's own chain (set from <see cref="IEnvironment.Start"/>).</summary>
    public EnvState State;

    /// <summary>Steps verified.</summary>
    public int Steps;

    /// <summary>Steps that were valid.</summary>
    public int ValidSteps;

    /// <summary>The sum of process rewards.</summary>
    public double ProcessRewardSum;

    /// <summary>The last step's process reward.</summary>
    public double LastProcessReward;

    /// <summary>Whether a correct answer is still reachable from <see cref="State"/>, where known.</summary>
    public Solvability SolvableFromHere;

    /// <summary>The outcome reward, once an answer was verified.</summary>
    public double? Outcome;

    /// <summary>The gold reward when the outcome came from a proxy (the judge).</summary>
    public double? Gold;

    /// <summary>True once an answer was verified or a terminal state was reached.</summary>
    public bool Done;

    /// <summary>A fresh episode of <paramref name="task"/>.</summary>
    public static EnvEpisode Begin(in EnvTask task) => new() { State = task.Environment.Start(task.Problem), SolvableFromHere = Solvability.Unknown };
}
