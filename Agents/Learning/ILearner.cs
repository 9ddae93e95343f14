using Sim.Engine;

namespace Sim.Agents.Learning;

/// <summary>
/// A policy that can learn: it acts (writes the next step of open episodes, recording what it chose and with what
/// log-probability), scores steps it or another policy wrote, and takes optimiser steps on a loss an algorithm states
/// as a function of the current log-probabilities. Two implementations share it: <see cref="Learners.TransformerLearner"/>
/// (TorchSharp, real gradients) and <see cref="Learners.TabularLearner"/> (a softmax over the environment's candidate
/// steps, for fast, deterministic study of learning dynamics).
/// </summary>
/// <remarks>
/// An algorithm never sees parameters. <see cref="Update"/> runs the forward pass, hands the current per-unit
/// log-probabilities (and values, when the learner has a value head) to the algorithm's <see cref="LossFunction"/>,
/// and applies the gradient Σ ∂L/∂log π(u) · ∇θ log π(u) (+ the value part) that the function returns. Because the
/// coefficients are evaluated at the current parameters, that is the exact gradient of any loss built from per-unit
/// log-probabilities: clipped ratios, KL penalties, DPO's pairwise logistic loss, plain likelihood.
/// </remarks>
public interface ILearner : IDisposable
{
    /// <summary>Short name for reports (<c>transformer</c>, <c>tabular</c>).</summary>
    string Name { get; }

    /// <summary>Optimiser steps taken (the policy version stamped on experience).</summary>
    int Version { get; }

    /// <summary>Whether <see cref="Update"/> offers per-step values (PPO needs them).</summary>
    bool HasValueHead { get; }

    /// <summary>True when the learner chooses among the environment's candidate steps and never writes an answer line:
    /// the rollout then answers with the steps themselves once the environment calls a step terminal.</summary>
    bool AnswersWithSteps { get; }

    /// <summary>
    /// Writes the next step of each open episode. <paramref name="greedy"/> takes the most likely step; otherwise steps
    /// are drawn at temperature 1 from <paramref name="rng"/>. The result is in the order of <paramref name="open"/>.
    /// </summary>
    ExperienceStep[] Act(IReadOnlyList<OpenEpisode> open, bool greedy, ref Rng rng);

    /// <summary>Current log-probability of every unit of every step (no gradient).</summary>
    float[][] LogProbs(IReadOnlyList<ExperienceStep> steps);

    /// <summary>The value of the state each step was chosen in, or null when the learner has no value head.</summary>
    float[]? Values(IReadOnlyList<ExperienceStep> steps);

    /// <summary>One optimiser step on the loss <paramref name="loss"/> states over <paramref name="steps"/>.</summary>
    UpdateResult Update(IReadOnlyList<ExperienceStep> steps, LossFunction loss, double learningRate);

    /// <summary>A frozen copy of the current policy (a reference model for KL penalties and DPO).</summary>
    IFrozenPolicy Freeze();

    /// <summary>Saves parameters and optimiser state to <paramref name="dir"/>.</summary>
    void Save(string dir);

    /// <summary>Restores what <see cref="Save"/> wrote; throws <see cref="InvalidDataException"/> for another architecture.</summary>
    void Load(string dir);

    /// <summary>A hash of the parameters (bit-exact comparison of two runs).</summary>
    string WeightsHash();
}
