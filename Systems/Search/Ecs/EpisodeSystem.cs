using Sim.Engine;
using Sim.Systems.Recording;

namespace Sim.Systems.Search;

/// <summary>
/// <c>episodes</c> (and <c>spawn</c>): by query over the agent entities, in entity order on one thread, counts each
/// episode that finished this tick in the run's <see cref="SearchMetrics"/> (from its <see cref="AgentEpisode"/>
/// outcome and <see cref="ComputeLedger"/>) and assigns the agent its next task from <see cref="SearchRun.NextProblem"/>;
/// an agent with no next task stays idle. The episode itself starts (environment start state, tree reset, algorithm
/// reset) at the top of the agent's next <c>search.select</c>, on every core; so does problem assignment when
/// <see cref="SearchRun.ParallelNextProblem"/> says it is thread-safe (otherwise it runs here, in agent order). Either
/// way the result does not depend on the thread count.
/// </summary>
public sealed class EpisodeSystem : ISystem
{
    private readonly bool _countExpansions;

    /// <summary>Makes the system; the instance in the <c>episodes</c> stage counts the tick's new nodes and records.</summary>
    public EpisodeSystem(bool countExpansions) => _countExpansions = countExpansions;

    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(AgentEpisode), typeof(ComputeLedger), typeof(TickWork)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(AgentEpisode), typeof(SearchMetrics), typeof(ReplayEvents)];

    /// <inheritdoc />
    public string Name => _countExpansions ? "EpisodeSystem" : "EpisodeSpawnSystem";

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var run = world.Resources.Get<SearchRun>();
        var m = run.Metrics;
        // Replay events are written only when a recorder is present (sim run --out).
        world.Resources.TryGet<ReplayEvents>(out var events);
        // Prepared per slice of agents in the backup pass (which also handled ClearPending); passed on in agent order.
        if (_countExpansions && events is not null) run.ReplayRecords?.MoveTo(events);
        int active = 0;
        bool count = _countExpansions;
        world.QuerySlices(AgentQuery.Agents, (in QuerySlice s) =>
        {
            var episodes = s.Get<AgentEpisode>();
            var ledgers = s.Get<ComputeLedger>();
            var work = s.Get<TickWork>();
            for (int i = 0; i < s.Length; i++)
            {
                ref var e = ref episodes[i];
                var w = work[i].Work;
                if (count)
                {
                    m.Expansions += w.Fresh.Count;
                    if (w.EnvironmentErrors > 0)
                    {
                        m.EnvironmentErrors += w.EnvironmentErrors;
                        m.FirstEnvironmentError ??= w.EnvironmentError;
                        e.Faults += w.EnvironmentErrors;
                    }
                }
                switch (e.Status)
                {
                    case EpisodeStatus.Assigned:
                        // Assigned a task in the last episodes stage, not started yet (search.select starts it): its old
                        // tree was recorded then, and its new one is cleared and sent once it exists.
                        active++;
                        continue;
                    case EpisodeStatus.Running:
                        active++;
                        continue;
                    case EpisodeStatus.Retired:
                        continue;
                    case EpisodeStatus.Finished:
                        // Its completion was made on its core in the backup pass; the record is made here, in agent
                        // order, which numbers it.
                        if (count && w.Completion is { } completion) events?.Episodes.Add(SearchRecording.Episode(e, ledgers[i], m.Episodes, completion));
                        e.Status = EpisodeStatus.Ended;
                        m.Episodes++;
                        if (e.FinalNode >= 0) m.Answered++;
                        if (e.Solved) m.Solved++;
                        if (e.Faults > 0) m.FaultedEpisodes++;
                        m.RewardSum += e.Reward;
                        if (e.FinalNode >= 0 && !double.IsNaN(e.Gold))
                        {
                            m.GoldSum += e.Gold;
                            m.GoldEpisodes++;
                        }
                        m.Spent.Add(ledgers[i]);
                        m.Outcomes.Add((e.Agent, e.Solved, ledgers[i]));
                        break;
                }
                // None or Ended: the agent wants a task.
                if (!run.ParallelNextProblem)
                {
                    if (run.NextProblem(e.Agent, e.Count) is not { } next) continue; // no task now: idle
                    e.Next = next;
                }
                // The agent starts its task at the top of its next search.select (on every core); the replay clears
                // its tree and sends the new root at the end of that tick.
                e.Status = EpisodeStatus.Assigned;
                e.ClearPending = run.Recorded; // only a replay has a tree to clear
                active++;
            }
        });
        run.Active = active;
        m.Ticks = tick.Tick;
    }
}
