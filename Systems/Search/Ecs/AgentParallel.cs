using System.Diagnostics;

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
        int workers = Workers(n);
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

    /// <summary>
    /// As <see cref="For"/>, and charges each agent's ledger with the wall time of its work: <paramref name="body"/>
    /// returns true when it worked on the agent. One clock read per agent (the end of one agent's work is the start of
    /// the next's), not two: at a million lines a second the reads themselves were a few percent of the tick.
    /// <para>
    /// <paramref name="after"/>, when given, then runs for every agent (worked on or not) in the same pass, untimed: work
    /// that must follow the body on the same agent, without a second parallel loop and its hand-off to the workers. It
    /// runs once the bodies of the agent's range are done, on the same thread, and gets the index of that range: ranges
    /// are contiguous, numbered in agent order, fewer than <see cref="MaxRanges"/>, and each is run by one thread, in
    /// agent order.
    /// </para>
    /// </summary>
    public static void ForTimed(List<SearchAgent> agents, Func<SearchAgent, bool> body, Action<SearchAgent, int>? after = null)
    {
        int n = agents.Count;
        int workers = Workers(n);
        if (workers <= 1)
        {
            Range(agents, 0, n, body, after, 0);
            return;
        }
        Parallel.For(0, workers, w => Range(agents, (int)((long)n * w / workers), (int)((long)n * (w + 1) / workers), body, after, w));
    }

    /// <summary>The most ranges <see cref="ForTimed"/> splits <paramref name="agents"/> agents into.</summary>
    public static int MaxRanges(int agents) => Math.Max(1, Workers(agents));

    private static void Range(List<SearchAgent> agents, int lo, int hi, Func<SearchAgent, bool> body, Action<SearchAgent, int>? after, int range)
    {
        long last = Stopwatch.GetTimestamp();
        for (int i = lo; i < hi; i++)
        {
            var agent = agents[i];
            if (body(agent))
            {
                long now = Stopwatch.GetTimestamp();
                agent.Ledger.WallMs += (now - last) * MsPerTick;
                last = now;
            }
        }
        // After the range's bodies, so that no agent is charged for another's after-work without a second clock read
        // per agent (a few percent of the after-work on this machine's clock).
        if (after is null) return;
        for (int i = lo; i < hi; i++) after(agents[i], range);
    }

    private static readonly double MsPerTick = 1000.0 / Stopwatch.Frequency;

    // One core: no workers to hand off to (a parallel loop would only add scheduling and spinning).
    private static int Workers(int n) => Environment.ProcessorCount == 1 ? 1 : Math.Min(Environment.ProcessorCount * 4, n / 32);
}
