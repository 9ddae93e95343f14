using Sim.Agents.Scoring;

namespace Sim.Systems.Learning;

/// <summary>Settings of the reward model trained online from the run's own experience.</summary>
/// <param name="Kind">Process (a PRM, the default), outcome (an ORM) or value model.</param>
/// <param name="Every">Train (and log calibration) every this many updates.</param>
/// <param name="Steps">Optimiser steps per training round.</param>
/// <param name="Window">Labelled trajectories kept for training (the newest).</param>
/// <param name="Coefficient">Weight of the model's mean step score added to each return (0 = train and log only).</param>
public sealed record OnlineRewardConfig(ScorerKind Kind = ScorerKind.Process, int Every = 5, int Steps = 30, int Window = 4096, double Coefficient = 0.1)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> with the reason.</summary>
    public OnlineRewardConfig Validate()
    {
        if (Kind is not (ScorerKind.Process or ScorerKind.Outcome or ScorerKind.Value)) throw new ArgumentException("the online reward model is a prm, orm or value model");
        if (Every < 1 || Steps < 1 || Window < 1) throw new ArgumentException("every, steps and window must be >= 1");
        if (Coefficient < 0) throw new ArgumentException("the online reward coefficient must be >= 0");
        return this;
    }
}
