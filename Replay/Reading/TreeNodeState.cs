namespace Sim.Replay;

/// <summary>The current state of one search-tree node, built from <see cref="TreeNodeRecord"/> upserts.</summary>
public sealed class TreeNodeState
{
    /// <summary>Node id.</summary>
    public long Id { get; init; }

    /// <summary>Parent id, or -1 for a root.</summary>
    public long Parent { get; set; }

    /// <summary>The step's text.</summary>
    public string Step { get; set; } = "";

    /// <summary>Visit count.</summary>
    public int Visits { get; set; }

    /// <summary>Value estimate.</summary>
    public float Value { get; set; }

    /// <summary>Process reward.</summary>
    public float Reward { get; set; }

    /// <summary>On the chosen path.</summary>
    public bool Chosen { get; set; }
}
