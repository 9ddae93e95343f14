using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>A task handed to an agent: the problem, the episode's seed, and optionally its own budget.</summary>
/// <param name="Problem">The problem.</param>
/// <param name="Seed">The episode seed (keys every policy draw of the episode).</param>
/// <param name="Budget">The episode's budget, or null to keep the agent's.</param>
public readonly record struct EpisodeTask(Problem Problem, ulong Seed, Budget? Budget = null);
