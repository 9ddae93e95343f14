namespace Sim.Systems.Demo;

/// <summary>Ticks a demo particle has left before it expires.</summary>
public struct Lifetime
{
    /// <summary>Remaining ticks.</summary>
    public int TicksLeft;
}
