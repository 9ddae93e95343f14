namespace Sim.Engine;

public sealed partial class World
{
    private readonly Dictionary<QueryDescription, Query> _queries = new();

    /// <summary>The cached query for <paramref name="description"/>, refreshed with any new archetypes.</summary>
    public Query GetQuery(in QueryDescription description)
    {
        if (!_queries.TryGetValue(description, out var q))
        {
            q = new Query(description);
            _queries.Add(description, q);
        }
        q.Refresh(_archetypes);
        return q;
    }

    /// <summary>The number of live entities matching <paramref name="description"/>.</summary>
    public int CountEntities(in QueryDescription description) => GetQuery(description).Count();

    /// <summary>Appends the entities matching <paramref name="description"/> to <paramref name="into"/>.</summary>
    public void GetEntities(in QueryDescription description, List<Entity> into)
    {
        foreach (var arch in GetQuery(description).Archetypes)
            foreach (var chunk in arch.ChunkList)
                into.AddRange(chunk.EntitySpan);
    }

    /// <summary>Visits every chunk matching <paramref name="description"/>; the span-level escape hatch for custom loops.</summary>
    public void QueryChunks(in QueryDescription description, Action<Chunk> action)
    {
        var q = GetQuery(description);
        EnterQuery();
        try
        {
            foreach (var arch in q.MatchList)
                foreach (var chunk in arch.ChunkList)
                    if (chunk.Count > 0) action(chunk);
        }
        finally { ExitQuery(); }
    }
}
