namespace Sim.Agents.Learning.Algorithms;

/// <summary>RLOO settings.</summary>
/// <param name="LearningRate">Optimiser step size.</param>
/// <param name="MaxImportance">Truncation of the per-trajectory importance weight for stale experience.</param>
public sealed record RlooConfig(double LearningRate = 1e-4, double MaxImportance = 2.0);

/// <summary>
/// REINFORCE Leave-One-Out (Kool et al. 2019; Ahmadian et al. 2024): with k trajectories per problem, trajectory i's
/// baseline is the mean return of the other k − 1, an unbiased baseline with no value model. Groups of one get no
/// gradient.
/// </summary>
public sealed class Rloo(RlooConfig config) : IRlAlgorithm
{
    /// <summary>The settings.</summary>
    public RlooConfig Config { get; } = config;

    /// <inheritdoc />
    public string Name => "rloo";

    /// <inheritdoc />
    public bool NeedsValueHead => false;

    /// <inheritdoc />
    public LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context)
    {
        if (batch.Count == 0) throw new EmptyBatchException("rloo: the batch is empty");
        var advantage = new double[batch.Count];
        foreach (var g in Enumerable.Range(0, batch.Count).GroupBy(i => batch[i].Group))
        {
            var members = g.ToArray();
            if (members.Length < 2) continue;
            double sum = members.Sum(i => batch[i].Reward);
            foreach (int i in members) advantage[i] = batch[i].Reward - (sum - batch[i].Reward) / (members.Length - 1);
        }
        return Reinforce.ScoreFunctionStep(learner, batch, advantage, Config.MaxImportance, Config.LearningRate);
    }
}
