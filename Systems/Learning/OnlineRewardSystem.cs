using Sim.Agents.Scoring;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>reward_models</c>: once the online reward model has trained, adds its dense signal to each finished episode's
/// return: <see cref="OnlineRewardConfig.Coefficient"/> × the mean of its step scores over the trajectory (the process
/// reward an outcome-only run lacks, as PRIME and Math-Shepherd use a learned PRM).
/// </summary>
public sealed class OnlineRewardSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState), typeof(OnlineRewardModel)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var r = tick.World.Resources;
        var online = r.Get<OnlineRewardModel>();
        var state = r.Get<LearningState>();
        if (online.Rounds == 0 || online.Config.Coefficient == 0 || state.Finished.Count == 0) return;
        var inputs = state.Finished.Select(t => new ScoringInput(state.Spec.Env, t.Problem, t.Steps.Select(s => s.Text).ToArray())).ToArray();
        var scores = new TrajectoryScore[inputs.Length];
        online.Model.ScoreTrajectories(inputs, scores);
        for (int i = 0; i < state.Finished.Count; i++)
        {
            var t = state.Finished[i];
            var s = scores[i].StepScores.Where(float.IsFinite).DefaultIfEmpty(0f).Average(x => (double)x);
            state.Finished[i] = t with { Return = (double.IsNaN(t.Return) ? t.Outcome.Value : t.Return) + online.Config.Coefficient * s };
        }
    }
}
