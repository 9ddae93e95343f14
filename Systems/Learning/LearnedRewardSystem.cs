using Sim.Agents.Scoring;
using Sim.Engine;

namespace Sim.Systems.Learning;

/// <summary>
/// <c>reward_models</c>: the return of each finished episode comes from a learned reward model (an ORM, a
/// Bradley–Terry model fitted to preferences, or a reward learned from demonstrations) instead of the verifier: its
/// score of the whole trajectory as a complete answer. The verifier's outcome stays on the trajectory as the gold
/// signal, so a run can show the policy learning what the model rewards rather than what is right.
/// </summary>
public sealed class LearnedRewardSystem(INodeScorer scorer) : ISystem
{
    /// <summary>The reward model.</summary>
    public INodeScorer Scorer { get; } = scorer;

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(LearningState)];

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var state = tick.World.Resources.Get<LearningState>();
        var finished = state.Finished;
        if (finished.Count == 0) return;
        var requests = finished.Select(t => new ScoreRequest(state.Spec.Env, t.Problem, t.Steps.Select(s => s.Text).ToArray(), true,
            t.Outcome.Value, (ulong)t.Id)).ToArray();
        var scores = new double[requests.Length];
        Scorer.Score(requests, scores);
        for (int i = 0; i < finished.Count; i++) finished[i] = finished[i] with { Return = scores[i] };
    }
}
