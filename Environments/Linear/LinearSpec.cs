namespace Sim.Environments.Linear;

/// <summary>A linear-equation problem: the equation text and its parsed form.</summary>
/// <param name="Text">The equation as shown, e.g. <c>3(x + 2) = 5x - 4</c>.</param>
/// <param name="Equation">The parsed equation; its solution set is what every step must keep.</param>
public sealed record LinearSpec(string Text, LinearEquation Equation);
