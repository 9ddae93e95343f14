namespace Sim.Agents.Scoring;

/// <summary>
/// A reward or value model as the search sees it, batch first: one call scores every node the agents made in a tick.
/// The learned ORM/PRM/value model (<see cref="RewardModel"/>) implements it, and the search's
/// <c>SimulatedRewardModel</c> stands in for one without training.
/// </summary>
public interface INodeScorer
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>Writes one score in [0, 1] per request into <paramref name="scores"/>. Deterministic; thread-safe.</summary>
    void Score(IReadOnlyList<ScoreRequest> requests, Span<double> scores);
}
