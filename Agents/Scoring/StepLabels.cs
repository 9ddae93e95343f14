namespace Sim.Agents.Scoring;

/// <summary>How a <see cref="PolicySampler"/> labels the steps of a sampled trajectory.</summary>
public enum StepLabels
{
    /// <summary>The environment's exact step value: 1 for a valid step after which the task is still solvable, 0 for
    /// a refuted step or a dead end (where solvability is unknown, valid steps count as 1).</summary>
    Exact,
    /// <summary>Monte-Carlo estimates (Math-Shepherd, Wang et al. 2024): from each step, the policy completes the
    /// trajectory several times, and the label is the share of completions that end correct (soft labels).</summary>
    MonteCarlo,
}
