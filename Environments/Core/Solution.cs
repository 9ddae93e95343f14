namespace Sim.Environments;

/// <summary>A reference solution: the steps, in the environment's step format, and the final answer.</summary>
/// <param name="Steps">Steps that <see cref="IEnvironment.CheckStep"/> accepts one after another from <see cref="IEnvironment.Start"/>.</param>
/// <param name="Answer">A final answer that <see cref="IEnvironment.CheckAnswer"/> accepts.</param>
public sealed record Solution(IReadOnlyList<string> Steps, string Answer);
