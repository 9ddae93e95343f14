namespace Sim.Agents.Training;

/// <summary>Supervised fine-tuning (behaviour cloning) settings for <see cref="SftTrainer"/>.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="LearningRate">Peak AdamW learning rate.</param>
/// <param name="WarmupSteps">Linear warm-up steps; then cosine decay to 10% of the peak at <paramref name="Steps"/>.</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="GradClip">Global gradient-norm clip (0 = off).</param>
/// <param name="Seed">Seed of the batch order.</param>
public sealed record SftConfig(
    int Steps = 600,
    int BatchSize = 32,
    double LearningRate = 3e-3,
    int WarmupSteps = 30,
    double WeightDecay = 0.01,
    double GradClip = 1.0,
    ulong Seed = 1)
{
    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> with the reason.</summary>
    public SftConfig Validate()
    {
        if (Steps < 0) throw new ArgumentException("Steps must be >= 0");
        if (BatchSize < 1) throw new ArgumentException("BatchSize must be >= 1");
        if (!(LearningRate > 0)) throw new ArgumentException("LearningRate must be > 0");
        if (WarmupSteps < 0) throw new ArgumentException("WarmupSteps must be >= 0");
        if (WeightDecay < 0) throw new ArgumentException("WeightDecay must be >= 0");
        if (GradClip < 0) throw new ArgumentException("GradClip must be >= 0");
        return this;
    }

    /// <summary>The learning rate at optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = Steps <= WarmupSteps ? 1 : (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps);
        return LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
    }
}
