namespace Sim.Engine;

public sealed partial class World
{
    /// <summary>Workers used by parallel queries; defaults to the machine's core count.</summary>
    public int ParallelWorkers { get; set; } = Environment.ProcessorCount;

    private static List<Chunk> CollectChunks(Query query)
    {
        var work = new List<Chunk>();
        foreach (var arch in query.MatchList)
            foreach (var chunk in arch.ChunkList)
                if (chunk.Count > 0) work.Add(chunk);
        return work;
    }

    /// <summary>Splits <paramref name="work"/> into contiguous ranges, one per worker; chunks are full, so ranges balance.</summary>
    private void RunParallel(List<Chunk> work, Action<int, int> body)
    {
        int workers = Math.Min(ParallelWorkers, work.Count);
        if (workers <= 1)
        {
            body(0, work.Count);
            return;
        }
        int count = work.Count;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers },
            w => body((int)((long)w * count / workers), (int)((long)(w + 1) * count / workers)));
    }
}
