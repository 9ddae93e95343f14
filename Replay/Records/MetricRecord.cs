namespace Sim.Replay;

/// <summary>A named scalar measured this tick (<c>reward</c>, <c>solve_rate</c>, <c>loss</c>, <c>alive</c>...).</summary>
/// <param name="Name">Metric name.</param>
/// <param name="Value">Its value.</param>
public readonly record struct MetricRecord(string Name, double Value);
