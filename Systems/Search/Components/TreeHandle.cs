namespace Sim.Systems.Search;

/// <summary>
/// The component naming an agent's search tree in the world's <see cref="TreeStore"/>. Trees vary in size (a handful
/// of nodes to thousands), so they live in a pooled store addressed by handle rather than in component columns.
/// </summary>
/// <param name="Id">The tree's slot in the store.</param>
public readonly record struct TreeHandle(int Id);
