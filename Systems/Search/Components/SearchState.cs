using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// The component holding an agent's search algorithm instance: its per-agent search state (open chains, beam,
/// MCTS statistics beyond the tree's) and its decisions. One instance per agent, reset at each episode.
/// </summary>
/// <param name="Algorithm">The algorithm.</param>
public readonly record struct SearchState(SearchAlgorithm Algorithm) : IStateHashable
{
    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher) => hasher.Add(Algorithm.Name);
}
