namespace Sim.Agents.Learning;

/// <summary>A policy snapshot that only scores (a reference model).</summary>
public interface IFrozenPolicy : IDisposable
{
    /// <summary>Log-probability of every unit of every step under the snapshot.</summary>
    float[][] LogProbs(IReadOnlyList<ExperienceStep> steps);
}
