using System.Text.Json.Nodes;

namespace Sim.Agents.Learning.Algorithms;

/// <summary>REINFORCE settings.</summary>
/// <param name="LearningRate">Optimiser step size.</param>
/// <param name="BaselineDecay">The baseline is an exponential moving average of batch-mean returns with this decay.</param>
/// <param name="MaxImportance">Truncation c of the per-trajectory importance weight min(π/μ, c) applied to stale
/// (off-policy) experience; on-policy experience has weight 1.</param>
public sealed record ReinforceConfig(double LearningRate = 1e-4, double BaselineDecay = 0.9, double MaxImportance = 2.0);

/// <summary>
/// REINFORCE with a baseline (Williams 1992): each trajectory's units get the advantage (return − baseline), the
/// baseline being a moving average of past returns; loss −(1/N) Σ_i ρ_i A_i Σ_t log π(u_t), with ρ_i the truncated
/// importance weight of trajectory i (1 when the experience is on-policy).
/// </summary>
public sealed class Reinforce(ReinforceConfig config) : IRlAlgorithm, IAlgorithmState
{
    private double _baseline = double.NaN;

    /// <summary>The settings.</summary>
    public ReinforceConfig Config { get; } = config;

    /// <summary>The baseline now (NaN before the first batch).</summary>
    public double Baseline { get => _baseline; set => _baseline = value; }

    /// <inheritdoc />
    public string Name => "reinforce";

    /// <inheritdoc />
    public JsonNode SaveState() => new JsonObject { ["baseline"] = double.IsNaN(_baseline) ? null : _baseline };

    /// <inheritdoc />
    public void LoadState(JsonNode state) => _baseline = (double?)state["baseline"] ?? double.NaN;

    /// <inheritdoc />
    public bool NeedsValueHead => false;

    /// <inheritdoc />
    public LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context)
    {
        if (batch.Count == 0) throw new EmptyBatchException("reinforce: the batch is empty");
        double mean = batch.Average(t => t.Reward);
        // The first batch has no history: its own mean is the baseline.
        if (double.IsNaN(_baseline)) _baseline = mean;
        var advantage = batch.Select(t => t.Reward - _baseline).ToArray();
        var stats = ScoreFunctionStep(learner, batch, advantage, Config.MaxImportance, Config.LearningRate);
        stats["baseline"] = _baseline;
        _baseline = Config.BaselineDecay * _baseline + (1 - Config.BaselineDecay) * mean;
        return stats;
    }

    /// <summary>
    /// One score-function step with per-trajectory advantages: coefficient ρ_i·A_i/N on every unit of trajectory i, with
    /// ρ_i = min(exp(Σ log π − Σ log μ), <paramref name="maxImportance"/>) evaluated at the current parameters.
    /// </summary>
    internal static LearnStats ScoreFunctionStep(ILearner learner, IReadOnlyList<Trajectory> batch, double[] advantage, double maxImportance, double lr)
    {
        var stats = new LearnStats();
        var sb = new StepBatch(batch);
        stats["reward"] = batch.Average(t => t.Reward);
        var r = learner.Update(sb.Steps, (cur, _) =>
        {
            var logRatio = new double[batch.Count];
            for (int s = 0; s < cur.Length; s++)
                for (int u = 0; u < cur[s].Length; u++) logRatio[sb.Owner[s]] += cur[s][u] - sb.Steps[s].BehaviourLogProbs[u];
            var rho = logRatio.Select(x => Math.Min(Math.Exp(x), maxImportance)).ToArray();
            stats["importance_mean"] = rho.Average();
            stats["entropy"] = Objectives.Entropy(cur);
            return Objectives.ScoreFunction(cur, sb.PerUnit((s, _) => (float)(rho[sb.Owner[s]] * advantage[sb.Owner[s]] / batch.Count)));
        }, lr);
        stats["loss"] = r.Loss;
        stats["grad_norm"] = r.GradNorm;
        stats["updates"] = 1;
        stats["units"] = r.Units;
        return stats;
    }
}
