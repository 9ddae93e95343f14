using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.backup</c>: on every core, each working agent's algorithm reads its new nodes, backs up values, prunes and
/// decides whether it is finished; an agent whose budget is spent commits its best answer.
/// </summary>
public sealed class SearchBackupSystem : ISystem
{
    private static bool Backup(SearchAgent agent)
    {
        if (agent.Done || agent.Problem is null) return false;
        agent.Algorithm.Backup(agent);
        if (!agent.Done && !agent.HasBudget) agent.Commit(agent.Algorithm.Choose(agent));
        return true;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick) => AgentParallel.ForTimed(tick.World.Resources.Get<SearchRun>().Agents, Backup);
}
