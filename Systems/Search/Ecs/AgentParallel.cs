namespace Sim.Systems.Search;

/// <summary>
/// Runs per-agent work on every core. The search systems keep their agents in a plain list (the run's
/// <c>SearchRun.Agents</c>), not in component columns, so they split that list into contiguous ranges here rather than
/// through a world query. Each agent is touched by one thread; results do not depend on the split.
/// </summary>
internal static class AgentParallel
{
    public static void For(List<SearchAgent> agents, Action<SearchAgent> body)
    {
        int n = agents.Count;
        int workers = Math.Min(Environment.ProcessorCount * 4, n / 32);
        if (workers <= 1)
        {
            foreach (var a in agents) body(a);
            return;
        }
        Parallel.For(0, workers, w =>
        {
            int lo = (int)((long)n * w / workers), hi = (int)((long)n * (w + 1) / workers);
            for (int i = lo; i < hi; i++) body(agents[i]);
        });
    }
}
