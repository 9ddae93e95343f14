using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.backup</c>: on every core, each working agent's algorithm reads its new nodes, backs up values, prunes and
/// decides whether it is finished; an agent whose budget is spent commits its best answer. When the run is recorded
/// (<see cref="SearchRecording.AddTo"/>), each agent then writes this tick's tree records into its range's buffer
/// (<see cref="ReplayRanges"/>) and the completion of its finished episode, in the same pass on the same core.
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
    public void Update(in TickContext tick)
    {
        var run = tick.World.Resources.Get<SearchRun>();
        // Recording in this pass rather than a stage of its own saves a parallel loop (a hand-off to the workers and a
        // wait for the slowest) per tick.
        AgentParallel.ForTimed(run.Agents, Backup, run.Recorded ? SearchRecording.Emit : null);
    }
}
