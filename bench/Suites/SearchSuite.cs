using System.Diagnostics;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Bench.Suites;

/// <summary>
/// <c>sim bench search</c>: search throughput through the full tick pipeline (select → batched policy → verify →
/// backup → episodes) with the simulated policy, 1,024 agents, on countdown (4 numbers). Agents cycle through a pool of
/// pre-sampled problems, so the figures measure search, not problem generation (which <c>sim run</c> also pays).
/// </summary>
public sealed class SearchSuite : IBenchSuite
{
    /// <summary>Agents per measurement, as the issue states its targets.</summary>
    public const int Agents = 1024;

    /// <inheritdoc />
    public string Name => "search";

    /// <inheritdoc />
    public string Description => "MCTS expansions/s and best-of-N samples/s, 1,024 agents, simulated policy, countdown";

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        var env = EnvironmentRegistry.Default.Get("countdown");
        var pool = SearchExperiment.SampleProblems(env, 512, 2, 42);
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig());
        int ticks = quick ? 40 : 200;

        // An MCTS expansion samples ExpandWidth (4) children of the selected leaf; each child is a policy line checked
        // by the environment (or the verdict cache) and merged into its siblings when identical. expansions_per_s counts
        // those children; nodes_per_s only the distinct nodes they add to the trees.
        var mcts = Measure(env, pool, policy, "mcts", ticks, m => m.Proposals);
        report.Add("search.mcts.expansions_per_s", mcts.PerSecond, "1/s", "target >= 1,000,000: children generated and evaluated at expanded leaves");
        report.Add("search.mcts.expansions_per_cpu_s", mcts.PerCpuSecond, "1/s", "the same per CPU-second of the process (robust to a loaded machine)");
        report.Add("search.mcts.nodes_per_s", mcts.NodesPerSecond, "1/s", "distinct tree nodes added per second");
        report.Add("search.mcts.solve_rate", mcts.SolveRate, "", "verifier-guided, 8 attempts' budget");
        progress(0.5);

        var bon = Measure(env, pool, policy, "bon", ticks, m => m.Episodes * 8);
        report.Add("search.bon.samples_per_s", bon.PerSecond, "1/s", "complete trajectories per second (N = 8)");
        report.Add("search.bon.samples_per_cpu_s", bon.PerCpuSecond, "1/s", "the same per CPU-second of the process");
        report.Add("search.bon.lines_per_s", bon.LinesPerSecond, "1/s", "policy lines sampled per second");
        report.Add("search.bon.solve_rate", bon.SolveRate, "", "verifier selection, N = 8");
        progress(1.0);
    }

    private readonly record struct Result(double PerSecond, double PerCpuSecond, double NodesPerSecond, double LinesPerSecond, double SolveRate);

    private static Result Measure(IEnvironment env, List<Problem> pool, IPolicy policy, string search, int ticks, Func<SearchMetrics, long> count)
    {
        using var world = World.Create(7);
        var budget = RunBudget.Parse("attempts:8");
        var costs = pool.Select(p => budget.For(env, p)).ToArray();
        var run = new SearchRun(env, policy, null, 7, (agent, episode) =>
        {
            int i = (int)((agent.Index + (long)episode * 131) % pool.Count);
            agent.Budget = costs[i];
            return (pool[i], StableHash.Combine((ulong)agent.Index, (ulong)episode));
        });
        var pipeline = SearchPipeline.Build(world, run, Agents, SearchAlgorithms.Create(search, 8), costs[0]);
        pipeline.Run(20); // warm up: JIT, the policy's per-problem plans, tree arenas at size
        var m = run.Metrics;
        long c0 = count(m), l0 = m.Proposals, n0 = m.Expansions, e0 = m.Episodes, s0 = m.Solved;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        pipeline.Run(ticks);
        double secs = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double cpu = Math.Max(1e-9, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
        return new Result((count(m) - c0) / secs, (count(m) - c0) / cpu, (m.Expansions - n0) / secs, (m.Proposals - l0) / secs,
            (double)(m.Solved - s0) / Math.Max(1, m.Episodes - e0));
    }
}
