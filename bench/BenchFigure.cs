namespace Sim.Bench;

/// <summary>One measured figure.</summary>
/// <param name="Name">Dotted name, e.g. <c>ecs.query2.iforeach.ns_per_entity</c>.</param>
/// <param name="Value">The measurement.</param>
/// <param name="Unit">Unit for tables (ns, x, MB/s...).</param>
/// <param name="Note">Optional context: a target, or how it was measured.</param>
public readonly record struct BenchFigure(string Name, double Value, string Unit, string? Note);
