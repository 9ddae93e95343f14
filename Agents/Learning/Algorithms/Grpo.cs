namespace Sim.Agents.Learning.Algorithms;

/// <summary>GRPO settings.</summary>
/// <param name="LearningRate">Optimiser step size.</param>
/// <param name="Clip">ε of the clipped ratio.</param>
/// <param name="KlBeta">Weight β of the KL penalty to the frozen reference (k3 estimator); 0 turns it off.</param>
/// <param name="Epochs">Passes over each batch.</param>
/// <param name="MiniBatches">Optimiser steps per pass (the trajectories are split this many ways).</param>
/// <param name="DrGrpo">Dr. GRPO (Liu et al. 2025): advantages are not divided by the group's standard deviation, and
/// every unit weighs 1/(trajectories × longest trajectory) instead of 1/(trajectories × own length), which removes
/// GRPO's bias towards long wrong answers and short right ones.</param>
public sealed record GrpoConfig(double LearningRate = 1e-4, double Clip = 0.2, double KlBeta = 0.04, int Epochs = 1, int MiniBatches = 1, bool DrGrpo = false);

/// <summary>
/// Group Relative Policy Optimization (Shao et al. 2024, DeepSeekMath): for each group of trajectories drawn for the
/// same problem, the advantage of trajectory i is (r_i − mean) / std over the group, shared by all its units; the loss
/// is the clipped surrogate with a KL penalty to a frozen reference, each trajectory's units averaged (1/|o_i|) and the
/// trajectories averaged. A group whose returns are all equal carries no policy gradient.
/// </summary>
public sealed class Grpo(GrpoConfig config) : IRlAlgorithm
{
    /// <summary>The settings.</summary>
    public GrpoConfig Config { get; } = config;

    /// <inheritdoc />
    public string Name => Config.DrGrpo ? "dr-grpo" : "grpo";

    /// <inheritdoc />
    public bool NeedsValueHead => false;

    /// <inheritdoc />
    public LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context)
    {
        if (batch.Count == 0) throw new EmptyBatchException("grpo: the batch is empty");
        var advantage = GroupAdvantages(batch, !Config.DrGrpo);
        var stats = new LearnStats();
        stats["reward"] = batch.Average(t => t.Reward);
        stats["groups_with_signal"] = batch.GroupBy(t => t.Group).Count(g => g.Select(t => t.Reward).Distinct().Count() > 1);
        int longest = Math.Max(1, batch.Max(t => t.Units));
        var order = Enumerable.Range(0, batch.Count).ToArray();
        var rng = context.Stream(0x6790);
        int updates = 0;
        double loss = 0, norm = 0;
        long units = 0;
        for (int epoch = 0; epoch < Config.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int m = 0; m < Config.MiniBatches; m++)
            {
                var pick = order.Where((_, k) => k % Config.MiniBatches == m).Order().Select(k => batch[k]).ToArray();
                if (pick.Length == 0) continue;
                var idx = order.Where((_, k) => k % Config.MiniBatches == m).Order().ToArray();
                var sb = new StepBatch(pick);
                var old = sb.BehaviourLogProbs();
                var reference = Config.KlBeta != 0 ? context.Reference?.LogProbs(sb.Steps) : null;
                var adv = sb.PerUnit((s, _) => (float)advantage[idx[sb.Owner[s]]]);
                var weight = sb.PerUnit((s, _) => (float)(1.0 / pick.Length / (Config.DrGrpo ? longest : Math.Max(1, sb.Units[sb.Owner[s]]))));
                var r = learner.Update(sb.Steps, (cur, _) =>
                {
                    if (epoch == 0 && m == 0) stats["entropy"] = Objectives.Entropy(cur);
                    return Objectives.ClippedSurrogate(cur, old, reference, adv, weight, Config.Clip, Config.KlBeta, stats);
                }, Config.LearningRate);
                loss += r.Loss; norm += r.GradNorm; units += r.Units; updates++;
            }
        }
        stats["loss"] = loss / Math.Max(1, updates);
        stats["grad_norm"] = norm / Math.Max(1, updates);
        stats["updates"] = updates;
        stats["units"] = units;
        return stats;
    }

    /// <summary>
    /// Group-normalised advantages: (r − mean) over each <see cref="Trajectory.Group"/>, divided by the group's standard
    /// deviation (+1e-4) when <paramref name="scaleByStd"/>.
    /// </summary>
    public static double[] GroupAdvantages(IReadOnlyList<Trajectory> batch, bool scaleByStd)
    {
        var result = new double[batch.Count];
        foreach (var g in Enumerable.Range(0, batch.Count).GroupBy(i => batch[i].Group))
        {
            var members = g.ToArray();
            double mean = members.Average(i => batch[i].Reward);
            double std = Math.Sqrt(members.Average(i => (batch[i].Reward - mean) * (batch[i].Reward - mean)));
            foreach (int i in members) result[i] = scaleByStd ? (batch[i].Reward - mean) / (std + 1e-4) : batch[i].Reward - mean;
        }
        return result;
    }
}
