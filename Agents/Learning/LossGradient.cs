namespace Sim.Agents.Learning;

/// <summary>What a <see cref="LossFunction"/> returns.</summary>
/// <param name="Loss">The loss value (for logging).</param>
/// <param name="PolicyGrad">∂loss/∂log π per unit, shaped like the log-probabilities it was given.</param>
/// <param name="ValueGrad">∂loss/∂V per step, or null when the loss has no value part.</param>
public sealed record LossGradient(double Loss, float[][] PolicyGrad, float[]? ValueGrad = null);
