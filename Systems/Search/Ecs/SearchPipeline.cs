using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// Wires the search systems into a world's tick, one per stage of <see cref="Stages"/>:
/// <c>spawn</c> (<see cref="EpisodeSystem"/>: give agents tasks) → <c>search.select</c> (<see cref="SearchSelectSystem"/>)
/// → <c>policy</c> (<see cref="PolicySystem"/>, one batched call) → <c>environments</c> (<see cref="StepVerifySystem"/>)
/// → <c>reward_models</c> (<see cref="RewardModelSystem"/> and <see cref="SelfEvalSystem"/>, one batched call each) → <c>search.backup</c>
/// (<see cref="SearchBackupSystem"/>) → <c>episodes</c> (<see cref="EpisodeSystem"/>: record outcomes, next tasks).
/// </summary>
public static class SearchPipeline
{
    /// <summary>
    /// Adds <paramref name="agents"/> agent entities to <paramref name="world"/>, each with its own algorithm from
    /// <paramref name="algorithm"/>, and returns the pipeline that runs them.
    /// </summary>
    public static Pipeline Build(World world, SearchRun run, int agents, Func<SearchAlgorithm> algorithm, Budget budget, int maxDepth = 32)
    {
        if (agents < 1) throw new ArgumentException("a search run needs at least one agent");
        world.Resources.Set(run);
        for (int i = 0; i < agents; i++)
        {
            var agent = new SearchAgent(i, algorithm(), budget, maxDepth) { Verdicts = run.Verdicts, Run = run };
            run.Agents.Add(agent);
            world.Create(new AgentComponent(agent));
        }
        return new Pipeline(world)
            .Add(Stages.Spawn, new EpisodeSystem(countExpansions: false))
            .Add(Stages.SearchSelect, new SearchSelectSystem())
            .Add(Stages.Policy, new PolicySystem())
            .Add(Stages.Environments, new StepVerifySystem())
            .Add(Stages.RewardModels, new RewardModelSystem())
            .Add(Stages.RewardModels, new SelfEvalSystem())
            .Add(Stages.SearchBackup, new SearchBackupSystem())
            .Add(Stages.Episodes, new EpisodeSystem(countExpansions: true));
    }

    /// <summary>
    /// Ticks <paramref name="pipeline"/> until every agent is idle (no task left) or <paramref name="maxTicks"/> ticks
    /// have run; returns the ticks run.
    /// </summary>
    public static long RunToCompletion(Pipeline pipeline, long maxTicks, Action<double>? progress = null)
    {
        var run = pipeline.World.Resources.Get<SearchRun>();
        long t = 0;
        while (t < maxTicks)
        {
            pipeline.Tick();
            t++;
            if (run.Active == 0) break;
            progress?.Invoke((double)run.Metrics.Episodes / Math.Max(1, run.Agents.Count));
        }
        return t;
    }
}
