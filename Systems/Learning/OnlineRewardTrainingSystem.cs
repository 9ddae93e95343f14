using Sim.Agents.Scoring;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>learning</c>, after the policy update: adds this tick's episodes to the online reward model's window with
/// Monte-Carlo step labels, and every <see cref="OnlineRewardConfig.Every"/> updates trains it for a few steps, then
/// logs its calibration (ECE, AUC) on this tick's episodes against the environment's exact step values.
/// </summary>
public sealed class OnlineRewardTrainingSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(OnlineRewardModel), typeof(LearningLog)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var r = tick.World.Resources;
        var online = r.Get<OnlineRewardModel>();
        var state = r.Get<LearningState>();
        var env = state.Spec.Env;
        foreach (var t in OnlineRewardModel.MonteCarloLabels(env, state.Finished)) online.Window.Enqueue(t);
        while (online.Window.Count > online.Config.Window) online.Window.Dequeue();
        if (state.PolicyVersion == 0 || state.PolicyVersion % online.Config.Every != 0 || online.Window.Count == 0) return;
        var cfg = new RewardModelConfig(online.Config.Steps, Seed: Sim.Engine.StableHash.Combine(state.Spec.Seed, (ulong)state.Tick));
        var losses = online.Model.Train(online.Window.ToArray(), cfg);
        online.Rounds++;
        var (steps, outcomes) = online.Model.Evaluate(OnlineRewardModel.ExactLabels(env, state.Finished));
        r.Get<LearningLog>().RewardModel.Add(new RewardModelRecord(state.PolicyVersion, steps.Ece, steps.Auc, outcomes.Ece, outcomes.Auc, steps.Count,
            losses.Count == 0 ? double.NaN : losses.Where(float.IsFinite).DefaultIfEmpty(float.NaN).Average(x => (double)x)));
    }
}
