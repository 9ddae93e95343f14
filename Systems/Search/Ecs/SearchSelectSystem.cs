using System.Diagnostics;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.select</c>: every working agent, on every core, either commits (budget spent) or lets its algorithm queue
/// this tick's expansions. An agent that queues nothing while still working commits its best answer, so no agent stalls.
/// </summary>
public sealed class SearchSelectSystem : ISystem
{
    internal static readonly QueryDescription Agents = new QueryDescription().WithAll<AgentComponent>();

    private static void Select(SearchAgent agent)
    {
        if (agent.Done || agent.Problem is null) return;
        long t0 = Stopwatch.GetTimestamp();
        agent.Fresh.Clear();
        agent.Proposed.Clear();
        if (!agent.HasBudget) agent.Commit(agent.Algorithm.Choose(agent));
        else
        {
            agent.Algorithm.Select(agent);
            if (!agent.Done && agent.Requests.Count == 0) agent.Commit(agent.Algorithm.Choose(agent));
            agent.BuildContexts();
        }
        agent.Ledger.WallMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick) => AgentParallel.For(tick.World.Resources.Get<SearchRun>().Agents, Select);
}
