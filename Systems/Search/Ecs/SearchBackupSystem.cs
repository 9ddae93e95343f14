using System.Diagnostics;
using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.backup</c>: on every core, each working agent's algorithm reads its new nodes, backs up values, prunes and
/// decides whether it is finished; an agent whose budget is spent commits its best answer.
/// </summary>
public sealed class SearchBackupSystem : ISystem
{
    private static void Backup(SearchAgent agent)
    {
        if (agent.Done || agent.Problem is null) return;
        long t0 = Stopwatch.GetTimestamp();
        agent.Algorithm.Backup(agent);
        if (!agent.Done && !agent.HasBudget) agent.Commit(agent.Algorithm.Choose(agent));
        agent.Ledger.WallMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    /// <inheritdoc />
    public void Update(in TickContext tick) => AgentParallel.For(tick.World.Resources.Get<SearchRun>().Agents, Backup);
}
