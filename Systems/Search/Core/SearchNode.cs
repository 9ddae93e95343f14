using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// One line of reasoning in an agent's <see cref="SearchTree"/>: what the policy wrote, what the environment said
/// about it, and the search statistics. Nodes live in a per-agent arena and refer to each other by index (-1 for none).
/// </summary>
public struct SearchNode
{
    /// <summary>The parent's index, or -1 for the root.</summary>
    public int Parent;

    /// <summary>The first child's index, or -1.</summary>
    public int FirstChild;

    /// <summary>The next sibling's index, or -1.</summary>
    public int NextSibling;

    /// <summary>How many children the node has.</summary>
    public int ChildCount;

    /// <summary>Lines from the root (the root is 0).</summary>
    public int Depth;

    /// <summary>A 64-bit hash of the lines from the root to this node (the root's is 0): the key of memoized verdicts.</summary>
    public ulong PathHash;

    /// <summary>What the node holds.</summary>
    public NodeKind Kind;

    /// <summary>The line (empty for the root).</summary>
    public string Text;

    /// <summary>The environment state after this line.</summary>
    public EnvState State;

    /// <summary>Log-probability of the line under the policy.</summary>
    public double LogProb;

    /// <summary>The policy's confidence that the line is right, in [0, 1].</summary>
    public double Confidence;

    /// <summary>Tokens the line cost.</summary>
    public int Tokens;

    /// <summary>The step or answer verdict (<see cref="VerdictKind.Ok"/> for the root and thoughts).</summary>
    public VerdictKind Verdict;

    /// <summary>The environment's process reward for a step, or outcome reward for a complete node.</summary>
    public double Reward;

    /// <summary>Whether the task is still solvable from <see cref="State"/>, where the environment knows.</summary>
    public Solvability Solvable;

    /// <summary>True when the trajectory ends here (an answer line, or a terminal state, or the depth limit).</summary>
    public bool Complete;

    /// <summary>For a complete node: whether its answer is correct, by the answer verifier. Used for grading always,
    /// and for guidance only when the algorithm's guidance is external.</summary>
    public bool Correct;

    /// <summary>The answer text a complete node submits (an <c>Answer:</c> line's text, or the steps joined by newlines).</summary>
    public string? AnswerText;

    /// <summary>The gold outcome reward of a complete node when <see cref="Reward"/> comes from a proxy (the simulated
    /// judge's score); NaN when the reward is exact or the node is not an answer.</summary>
    public double Gold;

    /// <summary>The reward model's score of this node (PRM for steps, ORM for complete nodes); NaN when not scored.</summary>
    public double ModelScore;

    /// <summary>The policy's self-evaluation of this line (the probability it gives that the line is correct); NaN when
    /// not judged (thoughts and corrections are not; searches without self-evaluation judge nothing).</summary>
    public double SelfScore;

    /// <summary>The node's prior for PUCT (the policy's normalised probability among its siblings).</summary>
    public double Prior;

    /// <summary>MCTS visit count.</summary>
    public int Visits;

    /// <summary>Sum of backed-up values.</summary>
    public double ValueSum;

    /// <summary>Pending visits from selections whose results have not come back (virtual loss).</summary>
    public int VirtualLoss;

    /// <summary>How many times the node has been sent to the policy for children.</summary>
    public int Expansions;

    /// <summary>Mean backed-up value, or 0 when unvisited.</summary>
    public readonly double Q => Visits > 0 ? ValueSum / Visits : 0;
}
