namespace Sim.Agents.Learning;

/// <summary>
/// A learning algorithm: it turns a batch of experience into optimiser steps on a <see cref="ILearner"/>. Each
/// implementation is one file with its config record at the top.
/// </summary>
public interface IRlAlgorithm
{
    /// <summary>Name on the command line (<c>--algo</c>).</summary>
    string Name { get; }

    /// <summary>Whether the algorithm needs the learner's value head (<see cref="ILearner.HasValueHead"/>).</summary>
    bool NeedsValueHead { get; }

    /// <summary>Learns from <paramref name="batch"/>; returns the update's figures (loss, KL, entropy, ...).</summary>
    /// <exception cref="EmptyBatchException">The batch holds nothing to learn from (for example, no correct trajectory).</exception>
    LearnStats Learn(ILearner learner, IReadOnlyList<Trajectory> batch, LearnContext context);
}
