namespace Sim.Agents.Learning;

/// <summary>
/// Figures of one learning update. Standard names: <c>loss</c>, <c>kl</c> (to the reference, k3 estimator),
/// <c>entropy</c> (mean −log π of the sampled units, an estimate), <c>clip_fraction</c>, <c>grad_norm</c>,
/// <c>updates</c> (optimiser steps), <c>units</c> (tokens or choices trained on), <c>reward</c> (mean return).
/// </summary>
public sealed class LearnStats
{
    /// <summary>The figures by name.</summary>
    public SortedDictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets a figure.</summary>
    public double this[string name] { get => Values.TryGetValue(name, out var v) ? v : double.NaN; set => Values[name] = value; }
}
