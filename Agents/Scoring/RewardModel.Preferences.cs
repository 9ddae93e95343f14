using Sim.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Scoring;

// Reward models learned from preferences (Bradley–Terry) and from demonstrations (a discriminator, adversarial IRL with
// the policy held fixed). Both read the head's logit at the last line of a trajectory as the reward r; scores through
// INodeScorer are σ(r), which keeps their order.
public sealed partial class RewardModel
{
    /// <summary>
    /// TRL's <c>center_rewards_coefficient</c> (Eisenstein et al. 2023): Bradley–Terry training adds this times the mean
    /// of (r(chosen) + r(rejected))², which pins the free offset of the rewards near 0, so σ(r) stays away from 0 and 1
    /// and scores do not saturate.
    /// </summary>
    public const double CenterRewardsCoefficient = 0.01;

    /// <summary>
    /// The reward r (the head's logit, before the sigmoid) at the last line of each trajectory that fits the context;
    /// NaN for a trajectory none of whose lines fit.
    /// </summary>
    public float[] Rewards(IReadOnlyList<TextTrajectory> batch)
    {
        var result = new float[batch.Count];
        for (int start = 0; start < batch.Count; start += 128)
        {
            int n = Math.Min(128, batch.Count - start);
            var enc = Enumerable.Range(start, n).Select(i => Encode(batch[i].Prompt, batch[i].Lines)).ToArray();
            int width = enc.Max(e => e.Ids.Length);
            var ids = new long[n * width];
            for (int i = 0; i < n; i++) Array.Copy(enc[i].Ids, 0, ids, i * width, enc[i].Ids.Length);
            float[] logits;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                _net.eval();
                logits = _net.forward(tensor(ids, [n, width], device: Device)).cpu().data<float>().ToArray();
            }
            for (int i = 0; i < n; i++)
            {
                int last = LastEnd(enc[i].Ends);
                result[start + i] = last >= 0 ? logits[i * width + last] : float.NaN;
            }
        }
        return result;
    }

    /// <summary>Whether the last line of <paramref name="t"/> fits the context (else its reward is read at an earlier line).</summary>
    public bool Fits(TextTrajectory t)
    {
        var ends = Encode(t.Prompt, t.Lines).Ends;
        return ends.Length > 0 && ends[^1] >= 0;
    }

    /// <summary>
    /// Fits a Bradley–Terry reward to <paramref name="pairs"/>: loss −log σ(r(chosen) − r(rejected)), plus the centring
    /// term (<see cref="CenterRewardsCoefficient"/>). Pairs with a side none of whose lines fit the context are left
    /// out. Returns the loss of every step; each step runs in its own dispose scope.
    /// </summary>
    /// <exception cref="ArgumentException">No pair fits the context.</exception>
    public List<float> TrainPreferences(IReadOnlyList<PreferencePair> pairs, RewardModelConfig config, Action<int, float>? onStep = null)
    {
        config.Validate();
        if (Kind != ScorerKind.Preference) throw new InvalidOperationException($"a {Name} model does not train on preferences");
        var encoded = pairs
            .Select(p => (C: Encode(p.Chosen.Prompt, p.Chosen.Lines), R: Encode(p.Rejected.Prompt, p.Rejected.Lines)))
            .Where(e => LastEnd(e.C.Ends) >= 0 && LastEnd(e.R.Ends) >= 0)
            .ToArray();
        if (encoded.Length == 0) throw new ArgumentException(pairs.Count == 0 ? "no preference pairs" : "no preference pair fits the context");
        var optimizer = optim.AdamW(_net.parameters(), lr: config.LearningRate, weight_decay: config.WeightDecay);
        var rng = new Rng(StableHash.Mix(config.Seed ^ 0xB7B7));
        var losses = new List<float>(config.Steps);
        int b = Math.Min(config.BatchSize, encoded.Length);
        for (int step = 0; step < config.Steps; step++)
        {
            Warm(optimizer, config, step);
            var seqs = new (long[] Ids, int[] Ends)[2 * b];
            for (int i = 0; i < b; i++)
            {
                var e = encoded[rng.NextInt(encoded.Length)];
                seqs[i] = e.C;
                seqs[b + i] = e.R;
            }
            using var scope = NewDisposeScope();
            _net.train();
            optimizer.zero_grad();
            var r = LastLogits(seqs);
            var chosen = r.narrow(0, 0, b);
            var rejected = r.narrow(0, b, b);
            var loss = nn.functional.softplus(rejected - chosen).mean() + CenterRewardsCoefficient * (chosen + rejected).pow(2).mean();
            losses.Add(Step(optimizer, loss));
            onStep?.Invoke(step + 1, losses[^1]);
        }
        _net.eval();
        return losses;
    }

    /// <summary>
    /// Trains a discriminator of <paramref name="demonstrations"/> (label 1) against <paramref name="samples"/> of the
    /// policy (label 0): binary cross-entropy on the logit at the last line, half of every batch from each side.
    /// With the policy held fixed this is the discriminator step of adversarial IRL (GAIL, AIRL) run to convergence; the
    /// logit log D/(1 − D) is the reward. Trajectories none of whose lines fit the context are left out. Returns the
    /// loss of every step; each step runs in its own dispose scope.
    /// </summary>
    /// <exception cref="ArgumentException">A side is empty, or none of its trajectories fits the context.</exception>
    public List<float> TrainDiscriminator(IReadOnlyList<TextTrajectory> demonstrations, IReadOnlyList<TextTrajectory> samples, RewardModelConfig config,
        Action<int, float>? onStep = null)
    {
        config.Validate();
        if (Kind != ScorerKind.Discriminator) throw new InvalidOperationException($"a {Name} model is no discriminator");
        var expert = demonstrations.Select(t => Encode(t.Prompt, t.Lines)).Where(e => LastEnd(e.Ends) >= 0).ToArray();
        var policy = samples.Select(t => Encode(t.Prompt, t.Lines)).Where(e => LastEnd(e.Ends) >= 0).ToArray();
        if (expert.Length == 0) throw new ArgumentException(demonstrations.Count == 0 ? "no demonstrations" : "no demonstration fits the context");
        if (policy.Length == 0) throw new ArgumentException(samples.Count == 0 ? "no policy samples" : "no policy sample fits the context");
        var optimizer = optim.AdamW(_net.parameters(), lr: config.LearningRate, weight_decay: config.WeightDecay);
        var rng = new Rng(StableHash.Mix(config.Seed ^ 0x1A1A));
        var losses = new List<float>(config.Steps);
        int half = Math.Max(1, config.BatchSize / 2);
        var target = new float[2 * half];
        for (int i = 0; i < half; i++) target[i] = 1;
        for (int step = 0; step < config.Steps; step++)
        {
            Warm(optimizer, config, step);
            var seqs = new (long[] Ids, int[] Ends)[2 * half];
            for (int i = 0; i < half; i++)
            {
                seqs[i] = expert[rng.NextInt(expert.Length)];
                seqs[half + i] = policy[rng.NextInt(policy.Length)];
            }
            using var scope = NewDisposeScope();
            _net.train();
            optimizer.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(LastLogits(seqs), tensor(target, device: Device));
            losses.Add(Step(optimizer, loss));
            onStep?.Invoke(step + 1, losses[^1]);
        }
        _net.eval();
        return losses;
    }

    private static int LastEnd(int[] ends)
    {
        for (int j = ends.Length - 1; j >= 0; j--) if (ends[j] >= 0) return ends[j];
        return -1;
    }

    // A 20-step linear warm-up, as in Train.
    private static void Warm(optim.Optimizer optimizer, RewardModelConfig config, int step)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = config.LearningRate * Math.Min(1.0, (step + 1) / 20.0);
    }

    // The logit at the last fitting line of each sequence (every one has one), with gradients: [n].
    private Tensor LastLogits((long[] Ids, int[] Ends)[] seqs)
    {
        int n = seqs.Length, width = seqs.Max(s => s.Ids.Length);
        var ids = new long[n * width];
        var index = new long[n];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(seqs[i].Ids, 0, ids, i * width, seqs[i].Ids.Length);
            index[i] = i * width + LastEnd(seqs[i].Ends);
        }
        return _net.forward(tensor(ids, [n, width], device: Device)).reshape(-1).index_select(0, tensor(index, device: Device));
    }

    private float Step(optim.Optimizer optimizer, Tensor loss)
    {
        loss.backward();
        nn.utils.clip_grad_norm_(_net.parameters(), 1.0);
        optimizer.step();
        return loss.item<float>();
    }
}
