namespace Sim.Agents.Demonstrators;

/// <summary>The kinds of demonstration traces <c>sim data demos --style</c> writes.</summary>
public enum DemoStyle : byte
{
    /// <summary>The reference solution only: its steps, then the answer.</summary>
    Optimal = 0,

    /// <summary>Stream-of-Search depth-first search with backtracking (countdown).</summary>
    SosDfs = 1,

    /// <summary>Stream-of-Search breadth-first search, moving between nodes by backtracking (countdown).</summary>
    SosBfs = 2,

    /// <summary>Human-like reasoning: analysis, decomposition, steps, alternatives, self-evaluation, self-correction.</summary>
    Human = 3,
}
