namespace Sim.Engine;

/// <summary>
/// Which archetypes a query visits: those having every <c>All</c> type, at least one <c>Any</c> type (when any are
/// given) and no <c>None</c> type. Build it once and keep it in a field; the world caches the matching archetypes.
/// </summary>
/// <example><code>
/// static readonly QueryDescription Moving = new QueryDescription().WithAll&lt;Position, Velocity&gt;().WithNone&lt;Frozen&gt;();
/// </code></example>
public readonly partial record struct QueryDescription
{
    /// <summary>Types every matched archetype has.</summary>
    public ComponentMask All { get; init; }

    /// <summary>Types of which a matched archetype has at least one (ignored when empty).</summary>
    public ComponentMask Any { get; init; }

    /// <summary>Types no matched archetype has.</summary>
    public ComponentMask None { get; init; }

    /// <summary>True when <paramref name="archetype"/> satisfies this description.</summary>
    public bool Matches(Archetype archetype)
    {
        var m = archetype.Mask;
        return m.ContainsAll(All) && (Any.IsEmpty || m.Overlaps(Any)) && !m.Overlaps(None);
    }

    private static ComponentMask With(ComponentMask mask, params ReadOnlySpan<int> ids)
    {
        foreach (var id in ids) mask.Set(id);
        return mask;
    }
}
