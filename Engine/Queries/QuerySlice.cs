namespace Sim.Engine;

/// <summary>
/// A run of rows of one chunk that a slice query hands to its callback: any number of component columns, read as
/// spans, plus the slice's number. Slices are numbered from 0 in entity storage order (archetype, chunk, row), so
/// per-slice results joined in slice order come out in entity order, whatever the number of threads that ran them.
/// </summary>
public readonly ref struct QuerySlice
{
    private readonly Chunk _chunk;
    private readonly int _from;

    internal QuerySlice(Chunk chunk, int from, int to, int index)
    {
        _chunk = chunk;
        _from = from;
        Length = to - from;
        Index = index;
    }

    /// <summary>The slice's number, from 0 in entity order; less than what <see cref="World.SliceCount"/> returned.</summary>
    public int Index { get; }

    /// <summary>Rows in the slice.</summary>
    public int Length { get; }

    /// <summary>The entities of the slice's rows.</summary>
    public ReadOnlySpan<Entity> Entities => _chunk.EntitySpan.Slice(_from, Length);

    /// <summary>The slice's rows of component <typeparamref name="T"/>; the query must require it.</summary>
    public Span<T> Get<T>() => _chunk.GetSpan<T>().Slice(_from, Length);
}
