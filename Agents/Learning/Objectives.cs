namespace Sim.Agents.Learning;

/// <summary>
/// The two policy objectives the algorithms share, stated as <see cref="LossGradient"/>s over a <see cref="StepBatch"/>.
/// </summary>
public static class Objectives
{
    /// <summary>
    /// The clipped surrogate of PPO and GRPO, minimised: −Σ w·min(ρA, clip(ρ, 1±ε)A) + β·Σ w·k3, where ρ = π/π_old per
    /// unit, k3 = π_ref/π − log(π_ref/π) − 1 (Schulman's unbiased, non-negative KL estimator) and w the unit's weight.
    /// ∂/∂log π of ρA is ρA where the unclipped term is the minimum and 0 where the clip binds; of k3 it is 1 − π_ref/π.
    /// </summary>
    public static LossGradient ClippedSurrogate(float[][] current, float[][] old, float[][]? reference, float[][] advantage,
        float[][] weight, double clip, double beta, LearnStats? stats = null)
    {
        var grad = new float[current.Length][];
        double loss = 0, clipped = 0, units = 0, kl = 0, approxKl = 0, wsum = 0;
        for (int i = 0; i < current.Length; i++)
        {
            grad[i] = new float[current[i].Length];
            for (int u = 0; u < current[i].Length; u++)
            {
                double w = weight[i][u];
                if (w == 0) continue;
                double a = advantage[i][u], logRatio = current[i][u] - old[i][u], ratio = Math.Exp(logRatio);
                double unclipped = ratio * a, bounded = Math.Clamp(ratio, 1 - clip, 1 + clip) * a;
                bool clipBinds = bounded < unclipped;
                loss -= w * Math.Min(unclipped, bounded);
                double g = clipBinds ? 0 : -w * ratio * a;
                if (reference is not null && beta != 0)
                {
                    double d = reference[i][u] - current[i][u], e = Math.Exp(d);
                    double k3 = e - d - 1;
                    loss += beta * w * k3;
                    g += beta * w * (1 - e);
                    kl += w * k3;
                }
                grad[i][u] = (float)g;
                clipped += clipBinds ? 1 : 0;
                approxKl += (ratio - 1) - logRatio;
                units++;
                wsum += w;
            }
        }
        if (stats is not null)
        {
            stats["clip_fraction"] = units == 0 ? 0 : clipped / units;
            stats["approx_kl_old"] = units == 0 ? 0 : approxKl / units;
            if (reference is not null) stats["kl"] = wsum == 0 ? 0 : kl / wsum;
        }
        return new LossGradient(loss, grad);
    }

    /// <summary>
    /// The score-function (REINFORCE) objective, minimised: −Σ c·log π per unit, with c = the unit's weighted advantage
    /// (and importance weight, when off-policy) held constant.
    /// </summary>
    public static LossGradient ScoreFunction(float[][] current, float[][] coefficient)
    {
        var grad = new float[current.Length][];
        double loss = 0;
        for (int i = 0; i < current.Length; i++)
        {
            grad[i] = new float[current[i].Length];
            for (int u = 0; u < current[i].Length; u++)
            {
                loss -= coefficient[i][u] * current[i][u];
                grad[i][u] = -coefficient[i][u];
            }
        }
        return new LossGradient(loss, grad);
    }

    /// <summary>Mean −log π over the units (an entropy estimate from the policy's own samples).</summary>
    public static double Entropy(float[][] logProbs)
    {
        double sum = 0; long n = 0;
        foreach (var s in logProbs) foreach (var x in s) { sum -= x; n++; }
        return n == 0 ? 0 : sum / n;
    }
}
