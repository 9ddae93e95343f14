namespace Sim.Engine;

/// <summary>What every system phase receives: the world and the tick being run.</summary>
/// <param name="World">The world being advanced.</param>
/// <param name="Tick">The tick number (1 for the first tick).</param>
/// <param name="DeltaTime">Simulated seconds per tick.</param>
public readonly record struct TickContext(World World, long Tick, float DeltaTime);
