namespace Sim.Engine;

public sealed partial class World
{
    /// <summary>Workers used by parallel queries; defaults to the machine's core count.</summary>
    public int ParallelWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>Rows below which a slice is not split further: smaller ones cost more in scheduling than they save.</summary>
    public const int MinSliceRows = 16;

    /// <summary>A run of rows of one chunk: the unit of parallel work.</summary>
    private readonly record struct Slice(Chunk Chunk, int From, int To);

    /// <summary>
    /// Cuts the matched rows into slices of about equal size, a few per worker. Slicing by rows rather than by chunk
    /// keeps both cores busy when few entities carry heavy work (1,024 search agents fit in a handful of chunks).
    /// </summary>
    private List<Slice> CollectSlices(Query query)
    {
        int total = query.Count();
        int pieces = Math.Max(1, ParallelWorkers * 4);
        int size = Math.Max(MinSliceRows, (total + pieces - 1) / pieces);
        var work = new List<Slice>(pieces + query.MatchList.Count);
        foreach (var arch in query.MatchList)
            foreach (var chunk in arch.ChunkList)
                for (int from = 0; from < chunk.Count; from += size)
                    work.Add(new Slice(chunk, from, Math.Min(chunk.Count, from + size)));
        return work;
    }

    /// <summary>Splits <paramref name="work"/> into contiguous ranges of slices, one per worker.</summary>
    private void RunParallel(List<Slice> work, Action<int, int> body)
    {
        int workers = Math.Min(ParallelWorkers, work.Count);
        if (workers <= 1)
        {
            body(0, work.Count);
            return;
        }
        int count = work.Count;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers },
                w => body((int)((long)w * count / workers), (int)((long)(w + 1) * count / workers)));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Throw what one worker would have thrown, so a fault surfaces the same way at any thread count.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
