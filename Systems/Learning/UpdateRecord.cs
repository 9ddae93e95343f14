namespace Sim.Systems.Learning;

/// <summary>One learning update.</summary>
/// <param name="Tick">Tick of the update.</param>
/// <param name="Version">Policy version after it.</param>
/// <param name="FirstEpisode">Lowest episode id that fed it.</param>
/// <param name="LastEpisode">Highest episode id that fed it.</param>
/// <param name="Trajectories">Trajectories in the batch.</param>
/// <param name="SolveRate">Share of the batch the verifier accepted.</param>
/// <param name="MeanStaleness">Mean policy-version lag of the batch.</param>
/// <param name="MaxStaleness">Largest lag in the batch.</param>
/// <param name="Difficulty">Difficulty of the tick's problems.</param>
/// <param name="Stats">The algorithm's figures (loss, kl, entropy, ...).</param>
/// <param name="Seconds">Wall seconds since the learning system started (not part of any hash or replay).</param>
public sealed record UpdateRecord(long Tick, int Version, long FirstEpisode, long LastEpisode, int Trajectories, double SolveRate,
    double MeanStaleness, int MaxStaleness, int Difficulty, IReadOnlyDictionary<string, double> Stats, double Seconds);
