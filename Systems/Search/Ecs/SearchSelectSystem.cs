using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.select</c>: by parallel query over the agent entities, every agent empties last tick's reward buffers and
/// new-node list, starts the task the episodes stage gave it (if any), and then, if running, either commits (budget
/// spent) or lets its algorithm queue this tick's expansions and builds their policy contexts. An agent that queues
/// nothing while still running commits its best answer, so no agent stalls.
/// </summary>
public sealed class SearchSelectSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(AgentEpisode), typeof(Budget), typeof(ComputeLedger), typeof(TreeHandle), typeof(SearchState)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(AgentEpisode), typeof(Budget), typeof(ComputeLedger), typeof(TickWork), typeof(TreeStore), typeof(ProcessRewards), typeof(OutcomeRewards)];

    private long _tick;
    private SearchRun? _run;
    private AgentQuery.Body? _select;

    private bool Select(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome)
    {
        // Rewards and new nodes are the tick's: the backup of the last tick has folded the rewards into the tree.
        process.Items.Clear();
        outcome.Items.Clear();
        agent.Work.ClearTick();
        ref var e = ref agent.Episode;
        if (e.Status == EpisodeStatus.Assigned && !Start(agent)) return false;
        if (!e.Running) return false;
        if (!agent.HasBudget) agent.Commit(agent.Algorithm.Choose(agent));
        else
        {
            agent.Algorithm.Select(agent);
            if (!agent.Done && agent.Work.Requests.Count == 0) agent.Commit(agent.Algorithm.Choose(agent));
            agent.BuildContexts();
        }
        return true;
    }

    // Starts the task the episodes stage assigned (on the agent's own core); false when there was none.
    private bool Start(SearchAgent agent)
    {
        ref var e = ref agent.Episode;
        var run = _run!;
        if (run.ParallelNextProblem)
        {
            if (run.NextProblem(e.Agent, e.Count) is not { } next)
            {
                e.Status = EpisodeStatus.Retired;
                e.ClearPending = false;
                return false;
            }
            e.Next = next;
        }
        var task = e.Next;
        e.Next = default;
        agent.Begin(task, _tick);
        return true;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        _tick = tick.Tick;
        _run = tick.World.Resources.Get<SearchRun>();
        AgentQuery.ForTimed(tick.World, _select ??= Select);
    }
}
