using Sim.Agents.Policies;
using Sim.Agents.Scoring;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// A parametric stand-in for a learned PRM/ORM that can be over-optimised, as learned reward models are (Gao et al.
/// 2022). It sees the environment's exact label y ∈ [0, 1] and reports
/// <c>clamp(y·(1 − 2δ) + δ + β·u + σ·z, 0, 1)</c>. u is its <b>persistent</b> error: a standard normal drawn from a
/// stream keyed by the problem and the scored content (the answer's text for a complete trajectory, the lines for a
/// step), so the same answer always gets the same bias, however often and wherever it is scored. z is per-call noise,
/// keyed by the node. δ (<paramref name="Shrink"/>) pulls scores away from 0 and 1. Selection by such a model first
/// gains (noise averages out) and then loses as N grows: among many distinct wrong answers, one whose persistent error
/// outweighs the gap is ever more likely, while the right answers all share one draw. β = σ = δ = 0 is the exact oracle.
/// </summary>
/// <param name="Noise">σ, the standard deviation of the per-call error.</param>
/// <param name="Shrink">δ, in [0, 0.5).</param>
/// <param name="Seed">The seed of the error draws (the model's identity).</param>
/// <param name="Bias">β, the standard deviation of the persistent error.</param>
public sealed record SimulatedRewardModel(double Noise = 0.05, double Shrink = 0.2, ulong Seed = 0, double Bias = 0.4) : INodeScorer
{
    /// <inheritdoc />
    public string Name => $"simulated-rm(noise={Noise}, bias={Bias})";

    /// <inheritdoc />
    public void Score(IReadOnlyList<ScoreRequest> requests, Span<double> scores)
    {
        if (scores.Length < requests.Count) throw new ArgumentException("scores is shorter than requests");
        for (int i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            double y = r.ExactLabel * (1 - 2 * Shrink) + Shrink;
            double error = 0;
            if (Noise > 0) error += Noise * new Rng(StableHash.Combine(Seed ^ 0x5EED5C0BEUL, r.Key)).NextGaussian();
            if (Bias > 0) error += Bias * new Rng(StableHash.Combine(Seed ^ 0xB1A5ED5EEDUL, ContentKey(r))).NextGaussian();
            scores[i] = Math.Clamp(y + error, 0, 1);
        }
    }

    // What the persistent error is attached to: the problem and, for a complete trajectory, its answer (two traces that
    // reach the same answer are one answer to the model's bias); for a step, the lines up to it.
    private static ulong ContentKey(in ScoreRequest r)
    {
        ulong h = StableHash.Combine(StableHash.Of(r.Env.Name), StableHash.Of(r.Problem.Question));
        if (r.IsAnswer && r.Lines.Count > 0)
        {
            string last = r.Lines[^1];
            string answer = StepProtocol.Classify(last) == StepKind.Answer ? StepProtocol.AnswerOf(last).Trim() : last.Trim();
            return StableHash.Combine(h ^ 0xA115UL, StableHash.Of(answer));
        }
        foreach (var line in r.Lines) h = StableHash.Combine(h, StableHash.Of(line));
        return h;
    }
}
