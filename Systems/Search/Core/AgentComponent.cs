namespace Sim.Systems.Search;

/// <summary>The ECS component of an agent entity: its <see cref="SearchAgent"/> (task, tree, algorithm, ledger, status).</summary>
/// <param name="Agent">The agent.</param>
public record struct AgentComponent(SearchAgent Agent);
