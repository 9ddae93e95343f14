using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// The component holding an agent's work of this tick (<see cref="AgentWork"/>: its expansion requests, the policy's
/// proposals, the nodes they made). A per-entity buffer, reused every tick.
/// </summary>
/// <param name="Work">The buffers.</param>
public readonly record struct TickWork(AgentWork Work) : IStateHashable
{
    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher)
    {
        // Transient within a tick; what persists (the nodes made) is in the tree and the reward components.
        hasher.Add(Work.Fresh.Count);
        foreach (int n in Work.Fresh) hasher.Add(n);
    }
}
