using Sim.Engine;

namespace Sim.Agents.Learning;

/// <summary>What an algorithm may use besides the learner and the batch.</summary>
/// <param name="Reference">The frozen reference policy for KL penalties and DPO, or null.</param>
/// <param name="Seed">Seed of this update's stream (minibatch order).</param>
public sealed record LearnContext(IFrozenPolicy? Reference, ulong Seed)
{
    /// <summary>A stream for the update.</summary>
    public Rng Stream(ulong purpose) => new(StableHash.Combine(Seed, purpose));
}
