namespace Sim.Agents.Scoring;

/// <summary>Training settings of a <see cref="RewardModel"/>.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Trajectories per step.</param>
/// <param name="LearningRate">AdamW learning rate (constant after a 20-step warm-up).</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="Seed">Seed of the initial weights and the batch order.</param>
public sealed record RewardModelConfig(int Steps = 300, int BatchSize = 32, double LearningRate = 2e-3, double WeightDecay = 0.01, ulong Seed = 1)
{
    /// <summary>Checks ranges; throws <see cref="ArgumentException"/> with the reason.</summary>
    public RewardModelConfig Validate()
    {
        if (Steps < 0) throw new ArgumentException("Steps must be >= 0");
        if (BatchSize < 1) throw new ArgumentException("BatchSize must be >= 1");
        if (!(LearningRate > 0)) throw new ArgumentException("LearningRate must be > 0");
        if (WeightDecay < 0) throw new ArgumentException("WeightDecay must be >= 0");
        return this;
    }
}
