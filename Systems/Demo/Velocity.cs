namespace Sim.Systems.Demo;

/// <summary>Velocity of a demo particle, in units per second.</summary>
public struct Velocity
{
    /// <summary>Components.</summary>
    public float X, Y;
}
