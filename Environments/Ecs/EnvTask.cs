namespace Sim.Environments.Ecs;

/// <summary>The component that ties an entity (an agent, or a search node) to its environment and problem.</summary>
/// <param name="Environment">The environment that verifies the entity's steps.</param>
/// <param name="Problem">The problem being solved (its ground truth stays hidden from agents).</param>
public readonly record struct EnvTask(IEnvironment Environment, Problem Problem);
