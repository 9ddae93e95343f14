namespace Sim.Agents.Learning;

/// <summary>
/// An algorithm's loss, stated through its gradient: given the current log-probability of every unit of every step
/// (and the value of every step when the learner has a value head, else null), return the loss and ∂loss/∂log π for
/// each unit (and ∂loss/∂V for each step).
/// </summary>
public delegate LossGradient LossFunction(float[][] logProbs, float[]? values);
