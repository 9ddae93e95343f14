namespace Sim.Systems.Search;

/// <summary>
/// A reward or value model as the search sees it, batch first: one call scores every node the agents made in a tick.
/// This is the narrow interface the search systems need; learned ORM/PRM/value models from <c>Sim.Agents</c> plug in
/// with an adapter, and <see cref="SimulatedRewardModel"/> stands in for them without a GPU.
/// </summary>
public interface INodeScorer
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>Writes one score in [0, 1] per request into <paramref name="scores"/>. Deterministic; thread-safe.</summary>
    void Score(IReadOnlyList<ScoreRequest> requests, Span<double> scores);
}
