using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// <c>search.backup</c>, after the algorithms, when the run is recorded (<see cref="SearchRecording.AddTo"/>): on every
/// core, writes each agent's tree changes and finished episode into its <see cref="AgentReplay"/> and updates the
/// agent's tree mirror. This was serial work in the episodes stage; done here it costs the recorded run only its share
/// of each core. <see cref="EpisodeSystem"/> then hands the records to the recorder in agent order.
/// </summary>
public sealed class ReplayEmitSystem : ISystem
{
    /// <inheritdoc />
    public void Initialize(World world)
    {
        foreach (var agent in world.Resources.Get<SearchRun>().Agents) agent.Replay ??= new AgentReplay();
    }

    /// <inheritdoc />
    public void Update(in TickContext tick) => AgentParallel.For(tick.World.Resources.Get<SearchRun>().Agents, SearchRecording.Emit);
}
