using System.Runtime.InteropServices;
using Sim.Engine;

namespace Sim.Environments;

/// <summary>
/// The component holding the <see cref="OutcomeReward"/>s an entity received this tick, in the order they were given
/// (see <see cref="ProcessRewards"/>, which it mirrors for final answers).
/// </summary>
/// <param name="Items">The rewards; made once per entity and reused.</param>
public readonly record struct OutcomeRewards(List<OutcomeReward> Items) : IStateHashable
{
    /// <summary>An empty buffer.</summary>
    public static OutcomeRewards Create() => new(new List<OutcomeReward>());

    /// <summary>The rewards, in the order given.</summary>
    public ReadOnlySpan<OutcomeReward> Span => CollectionsMarshal.AsSpan(Items);

    /// <summary>Appends <paramref name="reward"/>.</summary>
    public void Add(in OutcomeReward reward) => Items.Add(reward);

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
            hasher.Add(r.Correct ? 1 : 0);
            hasher.Add(r.Gold);
        }
    }
}
