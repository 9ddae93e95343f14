namespace Sim.Bench;

/// <summary>What one timed run cost: wall and process CPU time in seconds, and the gen0 collections during it.</summary>
public readonly record struct RunTime(double Wall, double Cpu, int Gen0);
