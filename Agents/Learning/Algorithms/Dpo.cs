namespace Sim.Agents.Learning.Algorithms;

/// <summary>DPO settings.</summary>
/// <param name="LearningRate">Optimiser step size.</param>
/// <param name="Beta">β: how far the policy may move from the reference to fit the preferences.</param>
/// <param name="Epochs">Passes over the pairs of each batch.</param>
/// <param name="MiniBatch">Pairs per optimiser step.</param>
public sealed record DpoConfig(double LearningRate = 1e-4, double Beta = 0.1, int Epochs = 1, int MiniBatch = 64);

/// <summary>
/// Direct Preference Optimization (Rafailov et al. 2023) on step-level pairs: for each pair (chosen c, rejected r) of
/// the same context, loss −log σ(β[(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))]), log π being the step's
/// summed unit log-probabilities. Pairs come from the search trees the batch's trajectories form
/// (<see cref="PreferencePairs.FromTrees"/>: a verified sibling over a refuted one), or from a pair file. With no
/// reference the loss is taken against a uniform reference (log π_ref = 0).
/// </summary>
public sealed class Dpo(DpoConfig config) : IRlAlgorithm
{
    /// <summary>The settings.</summary>
    public DpoConfig Config { get; } = config;

    /// <summary>Pairs supplied from outside (a pair file); when set, they are used instead of mining the batch.</summary>
    public IReadOnlyList<StepPreference>? FixedPairs { get; init; }

    /// <inheritdoc />
    public string Name => "dpo";

    /// <inheritdoc />
    public bool NeedsValueHead => false;

    /// <inheritdoc />
    public LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context)
    {
        var pairs = FixedPairs ?? PreferencePairs.FromTrees(batch);
        if (pairs.Count == 0) throw new EmptyBatchException($"dpo: no preference pair among {batch.Count} trajectories (no step with both a verified and a refuted sibling)");
        return Train(learner, pairs, context);
    }

    /// <summary>Optimises the DPO loss on <paramref name="pairs"/>.</summary>
    public LearnStats Train(ILearner learner, IReadOnlyList<StepPreference> pairs, LearnContext context)
    {
        var stats = new LearnStats();
        stats["pairs"] = pairs.Count;
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        var rng = context.Stream(0xD90);
        int updates = 0;
        double loss = 0, accuracy = 0, margin = 0;
        long units = 0;
        for (int epoch = 0; epoch < Config.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int b = 0; b < order.Length; b += Config.MiniBatch)
            {
                var pick = order.Skip(b).Take(Config.MiniBatch).Select(i => pairs[i]).ToArray();
                var steps = pick.SelectMany(p => new[] { p.Chosen, p.Rejected }).ToArray();
                var reference = context.Reference?.LogProbs(steps);
                double Ref(int s) => reference is null ? 0 : reference[s].Sum(x => (double)x);
                var r = learner.Update(steps, (cur, _) =>
                {
                    var grad = steps.Select(s => new float[s.Units.Length]).ToArray();
                    double l = 0;
                    for (int p = 0; p < pick.Length; p++)
                    {
                        int c = 2 * p, j = 2 * p + 1;
                        double z = Config.Beta * ((cur[c].Sum(x => (double)x) - Ref(c)) - (cur[j].Sum(x => (double)x) - Ref(j)));
                        // −log σ(z) = softplus(−z); its derivative in z is −σ(−z).
                        l += z > 0 ? double.LogP1(Math.Exp(-z)) : -z + double.LogP1(Math.Exp(z));
                        double d = -1 / (1 + Math.Exp(z)) * Config.Beta / pick.Length;
                        Array.Fill(grad[c], (float)d);
                        Array.Fill(grad[j], (float)-d);
                        accuracy += z > 0 ? 1 : 0;
                        margin += z / Config.Beta;
                    }
                    return new LossGradient(l / pick.Length, grad);
                }, Config.LearningRate);
                loss += r.Loss; units += r.Units; updates++;
            }
        }
        int seen = Math.Max(1, pairs.Count * Config.Epochs);
        stats["loss"] = loss / Math.Max(1, updates);
        stats["pair_accuracy"] = accuracy / seen;
        stats["margin"] = margin / seen;
        stats["updates"] = updates;
        stats["units"] = units;
        return stats;
    }
}
