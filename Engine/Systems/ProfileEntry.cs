namespace Sim.Engine;

/// <summary>One system's time in a <see cref="SystemProfiler"/>.</summary>
/// <param name="Path">"stage/system", nested groups included.</param>
/// <param name="TotalMs">Wall milliseconds over all ticks.</param>
/// <param name="MeanUsPerTick">Mean wall microseconds per tick.</param>
public readonly record struct ProfileEntry(string Path, double TotalMs, double MeanUsPerTick);
