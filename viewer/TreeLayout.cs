using Sim.Replay;

namespace Sim.Viewer;

/// <summary>
/// Positions of a search tree's nodes in tree units: depth on y, leaves on consecutive x slots in depth-first order,
/// each parent centred over its children. Linear in the node count; rebuilt only when the tree changes.
/// </summary>
public sealed class TreeLayout
{
    /// <summary>Node ids, in layout order.</summary>
    public long[] Ids { get; }

    /// <summary>Index of each node's parent in <see cref="Ids"/>, or -1.</summary>
    public int[] ParentIndex { get; }

    /// <summary>X of each node (leaf slots).</summary>
    public float[] X { get; }

    /// <summary>Y of each node (depth).</summary>
    public float[] Y { get; }

    /// <summary>Leaf slots used (the width).</summary>
    public float Width { get; }

    /// <summary>Deepest depth (the height).</summary>
    public float Depth { get; }

    /// <summary>Lays out <paramref name="tree"/>.</summary>
    public TreeLayout(IReadOnlyDictionary<long, TreeNodeState> tree)
    {
        var children = new Dictionary<long, List<long>>();
        var roots = new List<long>();
        foreach (var n in tree.Values.OrderBy(n => n.Id))
        {
            if (n.Parent >= 0 && tree.ContainsKey(n.Parent) && n.Parent != n.Id)
            {
                if (!children.TryGetValue(n.Parent, out var list)) children[n.Parent] = list = new List<long>();
                list.Add(n.Id);
            }
            else roots.Add(n.Id);
        }
        var ids = new List<long>(tree.Count);
        var parent = new List<int>(tree.Count);
        var xs = new List<float>(tree.Count);
        var ys = new List<float>(tree.Count);
        float nextLeaf = 0, maxDepth = 0;
        var visited = new HashSet<long>();
        // Iterative post-order walk (trees can be deep): a node's x is known once its children are placed.
        foreach (long root in roots)
        {
            var stack = new Stack<(long Id, int ParentIdx, int Depth, bool Expanded, int Index)>();
            stack.Push((root, -1, 0, false, -1));
            while (stack.Count > 0)
            {
                var (id, pIdx, depth, expanded, index) = stack.Pop();
                if (!expanded)
                {
                    if (!visited.Add(id)) continue; // a malformed file could hold a cycle
                    int me = ids.Count;
                    ids.Add(id); parent.Add(pIdx); xs.Add(0); ys.Add(depth);
                    maxDepth = Math.Max(maxDepth, depth);
                    stack.Push((id, pIdx, depth, true, me));
                    if (children.TryGetValue(id, out var kids))
                        for (int k = kids.Count - 1; k >= 0; k--) stack.Push((kids[k], me, depth + 1, false, -1));
                }
                else
                {
                    float min = float.MaxValue, max = float.MinValue;
                    bool any = false;
                    for (int j = index + 1; j < ids.Count; j++)
                        if (parent[j] == index) { any = true; min = Math.Min(min, xs[j]); max = Math.Max(max, xs[j]); }
                    xs[index] = any ? (min + max) / 2 : nextLeaf++;
                }
            }
        }
        Ids = ids.ToArray();
        ParentIndex = parent.ToArray();
        X = xs.ToArray();
        Y = ys.ToArray();
        Width = Math.Max(1, nextLeaf);
        Depth = maxDepth;
    }
}
