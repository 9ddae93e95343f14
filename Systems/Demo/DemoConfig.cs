namespace Sim.Systems.Demo;

/// <summary>Settings of <c>sim demo</c>: particles that move, bounce, expire and respawn.</summary>
/// <param name="Entities">Particles kept alive (the spawner tops the population up to this).</param>
/// <param name="WorldSize">Side of the square the particles bounce in.</param>
/// <param name="MaxLifetime">Particles live a uniform 1..MaxLifetime ticks.</param>
public sealed record DemoConfig(int Entities = 4096, float WorldSize = 1000f, int MaxLifetime = 240);
