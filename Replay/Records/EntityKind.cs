namespace Sim.Replay;

/// <summary>What an entity is, so the viewer knows how to draw it.</summary>
public enum EntityKind : byte
{
    /// <summary>Anything else.</summary>
    Other = 0,

    /// <summary>A task (one problem instance).</summary>
    Task = 1,

    /// <summary>An agent working on a task.</summary>
    Agent = 2,

    /// <summary>A particle of <c>sim demo</c>.</summary>
    Particle = 3,
}
