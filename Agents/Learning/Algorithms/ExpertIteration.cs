namespace Sim.Agents.Learning.Algorithms;

/// <summary>Expert-iteration settings.</summary>
/// <param name="LearningRate">Optimiser step size.</param>
/// <param name="Epochs">Passes over the kept trajectories of each round.</param>
/// <param name="MiniBatch">Trajectories per optimiser step.</param>
/// <param name="KeepPerProblem">At most this many distinct correct trajectories kept per problem (ReST-EM keeps a
/// few, so easy problems do not crowd out hard ones).</param>
public sealed record ExpertIterationConfig(double LearningRate = 3e-4, int Epochs = 1, int MiniBatch = 64, int KeepPerProblem = 2);

/// <summary>
/// Expert iteration (STaR, Zelikman et al. 2022; ReST-EM, Singh et al. 2023): search, keep the trajectories the
/// verifier accepts, fine-tune on them by maximum likelihood (mean −log π per unit), repeat. The E-step is the
/// rollout or search that filled the batch; this is the M-step. Distinct solutions are kept per problem, at most
/// <see cref="ExpertIterationConfig.KeepPerProblem"/>, in batch order.
/// </summary>
public sealed class ExpertIteration(ExpertIterationConfig config) : IRlAlgorithm
{
    /// <summary>The settings.</summary>
    public ExpertIterationConfig Config { get; } = config;

    /// <inheritdoc />
    public string Name => "ei";

    /// <inheritdoc />
    public bool NeedsValueHead => false;

    /// <inheritdoc />
    public LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context)
    {
        var kept = new List<Trajectory>();
        foreach (var g in batch.Where(t => t.Correct).GroupBy(t => t.Problem.Id))
            kept.AddRange(g.DistinctBy(t => string.Join("\n", t.Steps.Select(s => s.Text))).Take(Config.KeepPerProblem));
        if (kept.Count == 0)
            throw new EmptyBatchException($"ei: no correct trajectory among {batch.Count} in this round; nothing to fine-tune on (more samples per problem, easier problems or a better start)");
        var stats = new LearnStats();
        stats["reward"] = batch.Average(t => t.Reward);
        stats["kept"] = kept.Count;
        stats["problems_solved"] = kept.Select(t => t.Problem.Id).Distinct().Count();
        var order = Enumerable.Range(0, kept.Count).ToArray();
        var rng = context.Stream(0xE1);
        int updates = 0;
        double loss = 0;
        long units = 0;
        for (int epoch = 0; epoch < Config.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int b = 0; b < order.Length; b += Config.MiniBatch)
            {
                var sb = new StepBatch(order.Skip(b).Take(Config.MiniBatch).Select(i => kept[i]).ToArray());
                long n = Math.Max(1, sb.Units.Sum());
                var r = learner.Update(sb.Steps, (cur, _) =>
                {
                    if (updates == 0) stats["entropy"] = Objectives.Entropy(cur);
                    return Objectives.ScoreFunction(cur, sb.PerUnit((_, _) => 1f / n));
                }, Config.LearningRate);
                loss += r.Loss; units += r.Units; updates++;
            }
        }
        stats["loss"] = loss / Math.Max(1, updates);
        stats["updates"] = updates;
        stats["units"] = units;
        return stats;
    }
}
