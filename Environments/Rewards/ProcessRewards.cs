using System.Runtime.InteropServices;
using Sim.Engine;

namespace Sim.Environments;

/// <summary>
/// The component holding the <see cref="ProcessReward"/>s an entity received this tick, in the order they were given
/// (a per-entity buffer, like a dynamic buffer component). The environments stage writes the verifier's, the
/// reward-model stage adds learned and self-evaluation rewards, a user's system may add shaping; search backup,
/// metrics, the recorder and learning read them by query. Emptied when the entity's next tick of work begins.
/// </summary>
/// <param name="Items">The rewards; made once per entity and reused.</param>
public readonly record struct ProcessRewards(List<ProcessReward> Items) : IStateHashable
{
    /// <summary>An empty buffer.</summary>
    public static ProcessRewards Create() => new(new List<ProcessReward>());

    /// <summary>The rewards, in the order given.</summary>
    public ReadOnlySpan<ProcessReward> Span => CollectionsMarshal.AsSpan(Items);

    /// <summary>Appends <paramref name="reward"/>.</summary>
    public void Add(in ProcessReward reward) => Items.Add(reward);

    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher)
    {
        hasher.Add(Items.Count);
        foreach (var r in Items)
        {
            hasher.Add(r.Node);
            hasher.Add(r.Value);
            hasher.Add((int)r.Verdict);
            hasher.Add((int)r.Source);
        }
    }
}
