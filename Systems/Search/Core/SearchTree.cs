using System.Runtime.CompilerServices;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Systems.Search;

/// <summary>
/// An agent's search tree as a compact arena: one growable array of <see cref="SearchNode"/> structs linked by index
/// (first child, next sibling, parent). Cleared and reused between episodes, so a running search allocates only the
/// lines and states themselves. Node 0 is always the root. Not thread-safe: each agent's tree is touched by one thread
/// at a time (the systems parallelise across agents, never within one).
/// <para>Why an arena rather than one entity per node: at a million expansions a second, creating an entity per node
/// and walking parents through component lookups cost several times more than an index into a struct array; the arena
/// is recordable as it is (nodes are plain data, parents are indices) and the viewer reads it the same way.</para>
/// </summary>
public sealed class SearchTree
{
    private SearchNode[] _nodes = new SearchNode[64];

    /// <summary>Number of nodes, the root included.</summary>
    public int Count { get; private set; }

    /// <summary>The node at <paramref name="index"/>, by reference.</summary>
    public ref SearchNode this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _nodes[index];
    }

    /// <summary>Clears the tree and makes a root holding <paramref name="start"/>.</summary>
    public void Reset(EnvState start)
    {
        Array.Clear(_nodes, 0, Count);
        Count = 0;
        ref var root = ref NewNode(-1, NodeKind.Root, "");
        root.State = start;
        root.Confidence = 1;
        root.Prior = 1;
        root.SelfScore = 1; // the empty trace has nothing wrong in it
        root.Solvable = Solvability.Unknown;
    }

    /// <summary>Appends a child of <paramref name="parent"/> (as its first child) and returns its index.</summary>
    public int AddChild(int parent, NodeKind kind, string text)
    {
        NewNode(parent, kind, text);
        int id = Count - 1;
        ref var p = ref _nodes[parent];
        ref var c = ref _nodes[id];
        c.NextSibling = p.FirstChild;
        p.FirstChild = id;
        p.ChildCount++;
        c.Depth = p.Depth + 1;
        c.PathHash = StableHash.Combine(p.PathHash, StableHash.Of(text));
        return id;
    }

    private ref SearchNode NewNode(int parent, NodeKind kind, string text)
    {
        if (Count == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
        ref var n = ref _nodes[Count++];
        n = default;
        n.Parent = parent;
        n.FirstChild = -1;
        n.NextSibling = -1;
        n.Kind = kind;
        n.Text = text;
        n.State = parent >= 0 ? _nodes[parent].State : null!;
        n.ModelScore = double.NaN;
        n.Gold = double.NaN;
        n.SelfScore = double.NaN;
        return ref n;
    }

    /// <summary>The child of <paramref name="parent"/> whose line is <paramref name="text"/>, or -1.</summary>
    public int FindChild(int parent, string text)
    {
        for (int c = _nodes[parent].FirstChild; c >= 0; c = _nodes[c].NextSibling)
            if (string.Equals(_nodes[c].Text, text, StringComparison.Ordinal)) return c;
        return -1;
    }

    /// <summary>The lines from the root to <paramref name="node"/> (the root's empty line excluded), in order.</summary>
    public string[] Lines(int node)
    {
        var lines = new string[_nodes[node].Depth];
        for (int n = node, i = lines.Length - 1; i >= 0; n = _nodes[n].Parent, i--) lines[i] = _nodes[n].Text;
        return lines;
    }

    /// <summary>The nodes from the root's first line down to <paramref name="node"/>, in order.</summary>
    public int[] Path(int node)
    {
        var path = new int[_nodes[node].Depth];
        for (int n = node, i = path.Length - 1; i >= 0; n = _nodes[n].Parent, i--) path[i] = n;
        return path;
    }

    /// <summary>Aggregates <paramref name="score"/> over the step lines of the path to <paramref name="node"/>.</summary>
    public double Aggregate(int node, ScoreAggregation how, Func<int, double> score)
    {
        double min = double.PositiveInfinity, product = 1, sum = 0, last = double.NaN;
        int count = 0;
        for (int n = node; n > 0; n = _nodes[n].Parent)
        {
            if (_nodes[n].Kind == NodeKind.Thought) continue;
            double s = score(n);
            if (double.IsNaN(s)) continue;
            if (count == 0) last = s;
            min = Math.Min(min, s);
            product *= s;
            sum += s;
            count++;
        }
        if (count == 0) return 0;
        return how switch
        {
            ScoreAggregation.Min => min,
            ScoreAggregation.Last => last,
            ScoreAggregation.Product => product,
            _ => sum / count,
        };
    }
}
