using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.select</c>: every agent, on every core, first starts the task the episodes stage gave it (if any); then
/// every working agent either commits (budget spent) or lets its algorithm queue
/// this tick's expansions. An agent that queues nothing while still working commits its best answer, so no agent stalls.
/// </summary>
public sealed class SearchSelectSystem : ISystem
{
    internal static readonly QueryDescription Agents = new QueryDescription().WithAll<AgentComponent>();

    private long _tick;
    private Func<SearchAgent, bool>? _select;

    private bool Select(SearchAgent agent)
    {
        if (agent.StartPending && !agent.StartAssigned(_tick)) return false;
        if (agent.Done || agent.Problem is null) return false;
        agent.Fresh.Clear();
        agent.Touched.Clear();
        agent.Proposed.Clear();
        if (!agent.HasBudget) agent.Commit(agent.Algorithm.Choose(agent));
        else
        {
            agent.Algorithm.Select(agent);
            if (!agent.Done && agent.Requests.Count == 0) agent.Commit(agent.Algorithm.Choose(agent));
            agent.BuildContexts();
        }
        return true;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        _tick = tick.Tick;
        AgentParallel.ForTimed(tick.World.Resources.Get<SearchRun>().Agents, _select ??= Select);
    }
}
