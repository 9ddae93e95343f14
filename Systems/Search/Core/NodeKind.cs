namespace Sim.Systems.Search;

/// <summary>What a node of a search tree holds.</summary>
public enum NodeKind : byte
{
    /// <summary>The problem itself (no line).</summary>
    Root = 0,

    /// <summary>An action line checked by the environment's step verifier.</summary>
    Step = 1,

    /// <summary>A final answer (<c>Answer: X</c>) checked by the answer verifier; always a leaf.</summary>
    Answer = 2,

    /// <summary>A thought: costs tokens, changes no state.</summary>
    Thought = 3,

    /// <summary>A correction (<c>Wait: ...</c>): retracts the previous step; the state goes back to before it.</summary>
    Correction = 4,
}
