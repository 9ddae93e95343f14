namespace Sim.Engine;

public sealed partial class World
{
    /// <summary>
    /// How many slices a slice query over <paramref name="description"/> makes now: size per-slice buffers with it
    /// before the query. It depends on the matched rows and <see cref="ParallelWorkers"/>, so it can change between
    /// ticks.
    /// </summary>
    public int SliceCount(in QueryDescription description) => CollectSlices(GetQuery(description)).Count;

    /// <summary>
    /// Calls <paramref name="action"/> for every slice of the entities matching <paramref name="description"/>, in
    /// slice order, on the calling thread. The same slicing as <see cref="ParallelQuerySlices"/>, so the two can share
    /// per-slice buffers.
    /// </summary>
    public void QuerySlices(in QueryDescription description, ForEachSlice action)
    {
        var work = CollectSlices(GetQuery(description));
        EnterQuery();
        try
        {
            for (int i = 0; i < work.Count; i++) action(new QuerySlice(work[i].Chunk, work[i].From, work[i].To, i));
        }
        finally { ExitQuery(); }
    }

    /// <summary>
    /// Calls <paramref name="action"/> for every slice of the entities matching <paramref name="description"/>, with
    /// the slices split across all cores in contiguous runs; each slice runs on one thread, and the slices of one
    /// worker run in slice order. The callback may read and write its slice's components, and per-slice state indexed
    /// by <see cref="QuerySlice.Index"/>; structural changes go to a <see cref="CommandBuffer"/>. Use it for heavy
    /// per-entity work over many components (more than the typed queries take), where a per-slice call costs nothing.
    /// </summary>
    public void ParallelQuerySlices(in QueryDescription description, ForEachSlice action)
    {
        var work = CollectSlices(GetQuery(description));
        EnterQuery();
        try
        {
            RunParallel(work, (start, end) =>
            {
                for (int i = start; i < end; i++) action(new QuerySlice(work[i].Chunk, work[i].From, work[i].To, i));
            });
        }
        finally { ExitQuery(); }
    }
}
