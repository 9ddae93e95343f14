using Sim.Agents.Scoring;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// A parametric stand-in for a learned PRM/ORM: it sees the environment's exact label y ∈ [0, 1] and reports
/// <c>clamp(y·(1 − 2δ) + δ + σ·z, 0, 1)</c> with z a standard normal drawn from a stream keyed by the node, so its errors
/// are reproducible. δ (<paramref name="Shrink"/>) pulls scores away from 0 and 1; σ (<paramref name="Noise"/>) is the
/// model's error. σ = 0, δ = 0 is the exact oracle; larger σ is a weaker reward model.
/// </summary>
/// <param name="Noise">σ, the standard deviation of the score error.</param>
/// <param name="Shrink">δ, in [0, 0.5).</param>
/// <param name="Seed">The seed of the error draws.</param>
public sealed record SimulatedRewardModel(double Noise = 0.25, double Shrink = 0.1, ulong Seed = 0) : INodeScorer
{
    /// <inheritdoc />
    public string Name => $"simulated-rm(noise={Noise})";

    /// <inheritdoc />
    public void Score(IReadOnlyList<ScoreRequest> requests, Span<double> scores)
    {
        if (scores.Length < requests.Count) throw new ArgumentException("scores is shorter than requests");
        for (int i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var rng = new Rng(StableHash.Combine(Seed ^ 0x5EED5C0BEUL, r.Key));
            double y = r.ExactLabel * (1 - 2 * Shrink) + Shrink;
            scores[i] = Math.Clamp(y + Noise * rng.NextGaussian(), 0, 1);
        }
    }
}
