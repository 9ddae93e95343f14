namespace Sim.Systems.Demo;

/// <summary>Position of a demo particle inside the <see cref="DemoConfig.WorldSize"/> square.</summary>
public struct Position
{
    /// <summary>Coordinates.</summary>
    public float X, Y;
}
