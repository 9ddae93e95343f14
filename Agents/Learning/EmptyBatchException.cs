namespace Sim.Agents.Learning;

/// <summary>A batch holds nothing an algorithm can learn from (for example, no correct trajectory in a round of
/// expert iteration, or no preference pair for DPO).</summary>
public sealed class EmptyBatchException(string message) : Exception(message);
