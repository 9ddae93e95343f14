namespace Sim.Agents.Learning.Algorithms;

/// <summary>PPO settings.</summary>
/// <param name="LearningRate">Optimiser step size.</param>
/// <param name="Clip">ε of the clipped policy ratio.</param>
/// <param name="ValueClip">ε of the clipped value update (0 = no value clipping).</param>
/// <param name="ValueCoef">Weight of the value loss.</param>
/// <param name="Gamma">Discount per step.</param>
/// <param name="Lambda">GAE λ.</param>
/// <param name="Epochs">Passes over each batch.</param>
/// <param name="MiniBatches">Minibatches per pass (steps are shuffled, then split).</param>
/// <param name="TargetKl">Stop the epochs early once a minibatch's approximate KL to the behaviour policy exceeds this
/// (0 = never).</param>
public sealed record PpoConfig(double LearningRate = 1e-3, double Clip = 0.2, double ValueClip = 0.2, double ValueCoef = 0.5,
    double Gamma = 1.0, double Lambda = 0.95, int Epochs = 4, int MiniBatches = 4, double TargetKl = 0.05);

/// <summary>
/// Proximal Policy Optimization (Schulman et al. 2017) at the step level: every step is an action, the terminal step
/// carries the return, a value head estimates each state, advantages come from GAE(λ) and are normalised over the
/// batch; the clipped policy loss and the clipped value loss are minimised over shuffled minibatches for a few epochs,
/// stopping early when the approximate KL to the behaviour policy passes the target. It needs the learner's value head;
/// the transformer learner has none and is refused.
/// </summary>
public sealed class Ppo(PpoConfig config) : IRlAlgorithm
{
    /// <summary>The settings.</summary>
    public PpoConfig Config { get; } = config;

    /// <inheritdoc />
    public string Name => "ppo";

    /// <inheritdoc />
    public bool NeedsValueHead => true;

    /// <inheritdoc />
    public LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context)
    {
        if (!learner.HasValueHead) throw new NotSupportedException($"ppo needs a value head; the {learner.Name} learner has none");
        if (batch.Count == 0) throw new EmptyBatchException("ppo: the batch is empty");
        var all = new StepBatch(batch);
        var oldValues = learner.Values(all.Steps)!;
        var (adv, ret) = Gae(all, oldValues);
        double mean = adv.Average(), std = Math.Sqrt(adv.Average(a => (a - mean) * (a - mean)));
        for (int i = 0; i < adv.Length; i++) adv[i] = (adv[i] - mean) / (std + 1e-8);

        var stats = new LearnStats();
        stats["reward"] = batch.Average(t => t.Reward);
        var order = Enumerable.Range(0, all.Steps.Count).ToArray();
        var rng = context.Stream(0x990);
        int updates = 0;
        double loss = 0, vloss = 0;
        long units = 0;
        bool stop = false;
        for (int epoch = 0; epoch < Config.Epochs && !stop; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int m = 0; m < Config.MiniBatches && !stop; m++)
            {
                var idx = order.Where((_, k) => k % Config.MiniBatches == m).ToArray();
                if (idx.Length == 0) continue;
                var steps = idx.Select(i => all.Steps[i]).ToArray();
                long n = Math.Max(1, steps.Sum(s => s.Units.Length));
                var old = steps.Select(s => s.BehaviourLogProbs).ToArray();
                var a = steps.Select((s, j) => Enumerable.Repeat((float)adv[idx[j]], s.Units.Length).ToArray()).ToArray();
                var w = steps.Select(s => Enumerable.Repeat(1f / n, s.Units.Length).ToArray()).ToArray();
                var mb = new LearnStats();
                var r = learner.Update(steps, (cur, values) =>
                {
                    if (updates == 0) stats["entropy"] = Objectives.Entropy(cur);
                    var g = Objectives.ClippedSurrogate(cur, old, null, a, w, Config.Clip, 0, mb);
                    var vg = new float[steps.Length];
                    double vl = 0;
                    for (int j = 0; j < steps.Length; j++)
                    {
                        double v = values![j], v0 = oldValues[idx[j]], target = ret[idx[j]];
                        double vc = Config.ValueClip > 0 ? v0 + Math.Clamp(v - v0, -Config.ValueClip, Config.ValueClip) : v;
                        double lu = (v - target) * (v - target), lc = (vc - target) * (vc - target);
                        // max(unclipped, clipped) as in PPO2; the clipped branch has no gradient where the clip binds.
                        if (lu >= lc) { vl += 0.5 * lu; vg[j] = (float)(Config.ValueCoef * (v - target) / steps.Length); }
                        else { vl += 0.5 * lc; vg[j] = Math.Abs(v - v0) <= Config.ValueClip ? (float)(Config.ValueCoef * (vc - target) / steps.Length) : 0f; }
                    }
                    vloss += vl / steps.Length;
                    return g with { Loss = g.Loss + Config.ValueCoef * vl / steps.Length, ValueGrad = vg };
                }, Config.LearningRate);
                loss += r.Loss; units += r.Units; updates++;
                stats["clip_fraction"] = mb["clip_fraction"];
                stats["approx_kl_old"] = mb["approx_kl_old"];
                if (Config.TargetKl > 0 && mb["approx_kl_old"] > Config.TargetKl) { stop = true; stats["early_stop_epoch"] = epoch; }
            }
        }
        stats["loss"] = loss / Math.Max(1, updates);
        stats["value_loss"] = vloss / Math.Max(1, updates);
        stats["updates"] = updates;
        stats["units"] = units;
        return stats;
    }

    /// <summary>
    /// GAE(λ) per step: δ_t = r_t + γV(s_{t+1}) − V(s_t), with r = 0 before the last step, the trajectory's return on
    /// it, and V = 0 after it; A_t = δ_t + γλA_{t+1}; the value target is A_t + V(s_t).
    /// </summary>
    public (double[] Advantages, double[] Returns) Gae(StepBatch batch, float[] values)
    {
        int n = batch.Steps.Count;
        var adv = new double[n];
        var ret = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            bool last = i == n - 1 || batch.Owner[i + 1] != batch.Owner[i];
            double r = last ? batch.Trajectories[batch.Owner[i]].Reward : 0;
            double next = last ? 0 : values[i + 1];
            double delta = r + Config.Gamma * next - values[i];
            adv[i] = delta + (last ? 0 : Config.Gamma * Config.Lambda * adv[i + 1]);
            ret[i] = adv[i] + values[i];
        }
        return (adv, ret);
    }
}
