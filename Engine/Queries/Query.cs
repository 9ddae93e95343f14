namespace Sim.Engine;

/// <summary>
/// A cached query: the archetypes matching one <see cref="QueryDescription"/>, kept up to date as archetypes appear.
/// Archetypes are listed in creation order, so iteration order is deterministic.
/// </summary>
public sealed class Query
{
    private readonly List<Archetype> _matches = new();
    private int _scanned;

    internal Query(QueryDescription description) => Description = description;

    /// <summary>What this query matches.</summary>
    public QueryDescription Description { get; }

    /// <summary>The matching archetypes.</summary>
    public IReadOnlyList<Archetype> Archetypes => _matches;

    internal List<Archetype> MatchList => _matches;

    internal void Refresh(IReadOnlyList<Archetype> all)
    {
        for (; _scanned < all.Count; _scanned++)
            if (Description.Matches(all[_scanned])) _matches.Add(all[_scanned]);
    }

    /// <summary>The number of entities matched now.</summary>
    public int Count()
    {
        int n = 0;
        foreach (var a in _matches) n += a.Count;
        return n;
    }
}
