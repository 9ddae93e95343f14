namespace Sim.Systems.Learning;

/// <summary>One greedy evaluation.</summary>
/// <param name="Version">Policy version evaluated.</param>
/// <param name="HeldOutSolveRate">Greedy solve rate on the held-out problems.</param>
/// <param name="PoolSolveRate">Greedy solve rate on the training pool, when the run has one.</param>
public sealed record EvalRecord(int Version, double HeldOutSolveRate, double? PoolSolveRate);
