using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.backup</c>: by parallel query over the agent entities, each running agent folds this tick's reward
/// components into its tree (<see cref="SearchRewards.Fold"/>), then its algorithm reads its new nodes, backs up values,
/// prunes and decides whether it is finished; an agent whose budget is spent commits its best answer. When the run is
/// recorded (<see cref="SearchRecording.AddTo"/>), each agent then writes this tick's tree records into its slice's
/// buffer (<see cref="ReplayRanges"/>) and the completion of its finished episode, in the same pass on the same core.
/// </summary>
public sealed class SearchBackupSystem : ISystem
{
    /// <inheritdoc />
    public IReadOnlyList<Type> Reads { get; } = [typeof(ProcessRewards), typeof(OutcomeRewards), typeof(TickWork), typeof(SearchState), typeof(Budget), typeof(ComputeLedger)];

    /// <inheritdoc />
    public IReadOnlyList<Type> Writes { get; } = [typeof(TreeStore), typeof(AgentEpisode), typeof(TickWork)];

    private static bool Backup(SearchAgent agent, ProcessRewards process, OutcomeRewards outcome)
    {
        if (agent.Done) return false;
        SearchRewards.Fold(agent, process, outcome);
        agent.Algorithm.Backup(agent);
        if (!agent.Done && !agent.HasBudget) agent.Commit(agent.Algorithm.Choose(agent));
        return true;
    }

    private static readonly AgentQuery.Body Body = Backup;
    private static readonly AgentQuery.After Emit = SearchRecording.Emit;

    /// <inheritdoc />
    public void Update(in TickContext tick)
    {
        var world = tick.World;
        var run = world.Resources.Get<SearchRun>();
        // Recording in this pass rather than a stage of its own saves a parallel loop (a hand-off to the workers and a
        // wait for the slowest) per tick.
        if (run.Recorded) run.ReplayRecords!.EnsureSlices(world.SliceCount(AgentQuery.Agents));
        AgentQuery.ForTimed(world, Body, run.Recorded ? Emit : null);
    }
}
