using Sim.Replay;

namespace Sim.Systems.Recording;

/// <summary>
/// The recorder's copy of one agent's search tree, so keyframes can restate it. Search systems number nodes densely
/// from 0 (the index in the agent's tree), so such ids live in an array indexed by id: an upsert is an array write and
/// a keyframe lists them in id order with no sort. Ids far beyond the array (or negative) go to a dictionary, sorted
/// and merged in when listed; an id that went there stays there.
/// </summary>
internal sealed class TreeMirror
{
    /// <summary>No node id at or above this is stored in the array.</summary>
    private const long DenseLimit = 1 << 24;

    private TreeNodeRecord[] _nodes = new TreeNodeRecord[64];
    private bool[] _has = new bool[64];
    private int _end; // one past the highest dense id stored
    private Dictionary<long, TreeNodeRecord>? _sparse;
    private static readonly Comparison<TreeNodeRecord> ByNode = (a, b) => a.Node.CompareTo(b.Node);

    /// <summary>Stores <paramref name="n"/>; a null step keeps the step text the node had (later upserts may omit it).</summary>
    public void Upsert(in TreeNodeRecord n)
    {
        // Dense: within the array, or not far beyond the highest id so far (the array never outgrows the tree much).
        if ((ulong)n.Node < (ulong)Math.Min(DenseLimit, Math.Max(_nodes.Length, 2L * _end + 4096))
            && !(_sparse is { Count: > 0 } && _sparse.ContainsKey(n.Node)))
        {
            int i = (int)n.Node;
            if (i >= _nodes.Length)
            {
                int size = Math.Max(i + 1, _nodes.Length * 2);
                Array.Resize(ref _nodes, size);
                Array.Resize(ref _has, size);
            }
            ref var slot = ref _nodes[i];
            slot = n.Step is null && _has[i] ? n with { Step = slot.Step } : n;
            _has[i] = true;
            if (i >= _end) _end = i + 1;
            return;
        }
        _sparse ??= new Dictionary<long, TreeNodeRecord>();
        _sparse[n.Node] = n.Step is null && _sparse.TryGetValue(n.Node, out var old) ? n with { Step = old.Step } : n;
    }

    /// <summary>Appends every node, in id order, to <paramref name="into"/>.</summary>
    public void AppendAll(List<TreeNodeRecord> into, List<TreeNodeRecord> scratch)
    {
        if (_sparse is not { Count: > 0 })
        {
            for (int i = 0; i < _end; i++) if (_has[i]) into.Add(_nodes[i]);
            return;
        }
        scratch.Clear();
        scratch.AddRange(_sparse.Values);
        scratch.Sort(ByNode);
        int s = 0;
        for (int i = 0; i < _end; i++)
        {
            if (!_has[i]) continue;
            while (s < scratch.Count && scratch[s].Node < i) into.Add(scratch[s++]);
            into.Add(_nodes[i]);
        }
        while (s < scratch.Count) into.Add(scratch[s++]);
    }

    /// <summary>Forgets every node (the agent started a new tree); keeps the arrays.</summary>
    public void Clear()
    {
        Array.Clear(_has, 0, _end);
        Array.Clear(_nodes, 0, _end); // drop the step strings
        _end = 0;
        _sparse?.Clear();
    }
}
