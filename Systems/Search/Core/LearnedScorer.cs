using Sim.Agents.Scoring;

namespace Sim.Systems.Search;

/// <summary>
/// Adapts a learned reward or value model (<see cref="IScorer"/> from <c>Sim.Agents</c>: ORM, PRM or value head) to the
/// search: a complete node gets the model's outcome estimate, a step node the score of its own (last) line. The whole
/// tick's batch goes to the model in one call.
/// </summary>
public sealed class LearnedScorer(IScorer model) : INodeScorer
{
    private TrajectoryScore[] _buffer = [];
    private readonly List<ScoringInput> _inputs = new();
    private readonly Lock _gate = new();

    /// <summary>The wrapped model.</summary>
    public IScorer Model { get; } = model;

    /// <inheritdoc />
    public string Name => Model.Name;

    /// <inheritdoc />
    public void Score(IReadOnlyList<ScoreRequest> requests, Span<double> scores)
    {
        lock (_gate)
        {
            _inputs.Clear();
            foreach (var r in requests) _inputs.Add(new ScoringInput(r.Env, r.Problem, r.Lines));
            if (_buffer.Length < requests.Count) _buffer = new TrajectoryScore[requests.Count];
            Model.Score(_inputs, _buffer);
            for (int i = 0; i < requests.Count; i++)
            {
                var s = _buffer[i];
                double v = requests[i].IsAnswer || s.StepScores.Length == 0 ? s.Outcome : s.StepScores[^1];
                scores[i] = Math.Clamp(double.IsFinite(v) ? v : 0, 0, 1);
            }
        }
    }
}
