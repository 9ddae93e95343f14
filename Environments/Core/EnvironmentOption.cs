namespace Sim.Environments;

/// <summary>One setting of a configurable environment, as <c>sim envs show</c> lists it.</summary>
/// <param name="Name">The key in an environment spec (<c>judge:length=0.1</c>).</param>
/// <param name="Value">The current value, as text in the invariant culture.</param>
/// <param name="Description">One line on what it does.</param>
public readonly record struct EnvironmentOption(string Name, string Value, string Description);
