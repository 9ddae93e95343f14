namespace Sim.Agents.Learning;

/// <summary>What one optimiser step did.</summary>
/// <param name="Loss">The loss the algorithm stated.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Units">Units that carried a gradient.</param>
public readonly record struct UpdateResult(double Loss, double GradNorm, long Units);
