using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// Makes the agent entities of a search run and wires the search systems into a world's tick, one per stage of
/// <see cref="Stages"/>: <c>spawn</c> (<see cref="EpisodeSystem"/>: give agents tasks) → <c>search.select</c>
/// (<see cref="SearchSelectSystem"/>) → <c>policy</c> (<see cref="PolicySystem"/>, one batched call) →
/// <c>environments</c> (<see cref="EnvironmentSystem"/>: verdicts, <see cref="ProcessReward"/> and
/// <see cref="OutcomeReward"/> components) → <c>reward_models</c> (<see cref="RewardModelSystem"/> and
/// <see cref="SelfEvalSystem"/>, one batched call each) → <c>search.backup</c> (<see cref="SearchBackupSystem"/>) →
/// <c>episodes</c> (<see cref="EpisodeSystem"/>: count outcomes, next tasks). Every system reaches the agents through
/// <see cref="AgentQuery.Agents"/>.
/// </summary>
public static class SearchPipeline
{
    /// <summary>
    /// Adds <paramref name="agents"/> agent entities to <paramref name="world"/>, each with its own algorithm from
    /// <paramref name="algorithm"/>, a tree from the world's <see cref="TreeStore"/> and empty reward buffers, and
    /// returns the pipeline that runs them.
    /// </summary>
    public static Pipeline Build(World world, SearchRun run, int agents, Func<SearchAlgorithm> algorithm, Budget budget, int maxDepth = 32)
    {
        if (agents < 1) throw new ArgumentException("a search run needs at least one agent");
        world.Resources.Set(run);
        if (!world.Resources.TryGet<TreeStore>(out var trees)) world.Resources.Set(trees = new TreeStore());
        run.AgentCount = agents;
        run.MaxDepth = maxDepth;
        for (int i = 0; i < agents; i++)
        {
            var search = algorithm();
            if (i == 0) run.SignalName = search.SignalName;
            var e = world.Create(AgentEpisode.For(i), budget, new ComputeLedger(), trees.Rent(), new SearchState(search), new TickWork(new AgentWork()));
            world.Add(e, ProcessRewards.Create());
            world.Add(e, OutcomeRewards.Create());
        }
        return Stages.NewPipeline(world)
            .Add(Stages.Spawn, new EpisodeSystem(countExpansions: false))
            .Add(Stages.SearchSelect, new SearchSelectSystem())
            .Add(Stages.Policy, new PolicySystem())
            .Add(Stages.Environments, new EnvironmentSystem())
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
            progress?.Invoke((double)run.Metrics.Episodes / Math.Max(1, run.AgentCount));
        }
        return t;
    }
}
