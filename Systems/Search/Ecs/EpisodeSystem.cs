using Sim.Engine;
using Sim.Systems.Recording;

namespace Sim.Systems.Search;

/// <summary>
/// <c>episodes</c> (and <c>spawn</c>): records each ended episode in the run's <see cref="SearchMetrics"/> and gives the
/// agent its next task from <see cref="SearchRun.NextProblem"/>; an agent with no next task stays idle. The bookkeeping
/// runs on one thread, in agent order. The episode itself starts (environment start state, tree reset, algorithm reset)
/// at the top of the agent's next <c>search.select</c>, on every core; so does problem assignment when
/// <see cref="SearchRun.ParallelNextProblem"/> says it depends only on the agent and its episode number (otherwise it
/// runs here, in agent order). Either way the result does not depend on the thread count.
/// </summary>
public sealed class EpisodeSystem : ISystem
{
    private readonly bool _countExpansions;

    /// <summary>Makes the system; the instance in the <c>episodes</c> stage counts the tick's new nodes.</summary>
    public EpisodeSystem(bool countExpansions) => _countExpansions = countExpansions;

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var run = tick.World.Resources.Get<SearchRun>();
        var m = run.Metrics;
        // Replay events are written only when a recorder is present (sim run --out).
        tick.World.Resources.TryGet<ReplayEvents>(out var events);
        // Prepared per range of agents in the backup pass (which also handled ClearPending); passed on in agent order.
        if (_countExpansions && events is not null) run.ReplayRecords?.MoveTo(events);
        int active = 0;
        foreach (var agent in run.Agents)
        {
            if (_countExpansions) m.Expansions += agent.Fresh.Count;
            // Assigned a task in the last episodes stage, not started yet (search.select starts it): its old tree was
            // recorded then, and its new one is cleared and sent once it exists.
            if (agent.StartPending) { active++; continue; }
            if (agent.Problem is not null && agent.Done && !agent.Recorded)
            {
                // Its completion was made on its core in the backup pass; the record is made here, in agent order, which numbers it.
                if (_countExpansions && agent.Completion is { } completion) events?.Episodes.Add(SearchRecording.Episode(agent, m.Episodes, completion));
                agent.Recorded = true;
                m.Episodes++;
                if (agent.FinalNode >= 0) m.Answered++;
                if (agent.Solved) m.Solved++;
                m.RewardSum += agent.FinalReward;
                if (agent.FinalNode >= 0 && !double.IsNaN(agent.Tree[agent.FinalNode].Gold))
                {
                    m.GoldSum += agent.Tree[agent.FinalNode].Gold;
                    m.GoldEpisodes++;
                }
                m.Spent.Add(agent.Ledger);
                m.Outcomes.Add((agent.Index, agent.Solved, agent.Ledger));
            }
            if ((agent.Problem is null || agent.Done) && !agent.Retired)
            {
                if (!run.ParallelNextProblem)
                {
                    if (run.NextProblem(agent, agent.Episodes) is not { } next) continue; // no task now: idle
                    agent.NextTask = next;
                }
                // The agent starts its task at the top of its next search.select (on every core); the replay clears
                // its tree and sends the new root at the end of that tick.
                agent.StartPending = true;
                agent.ClearPending = run.Recorded; // only a replay has a tree to clear
                active++;
                continue;
            }
            if (!agent.Done && agent.Problem is not null) active++;
        }
        run.Active = active;
        m.Ticks = tick.Tick;
    }
}
