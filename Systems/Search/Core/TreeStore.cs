using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// The world resource that owns every agent's <see cref="SearchTree"/>, addressed by <see cref="TreeHandle"/> (as Bepu
/// keeps its buffers in a pool). A tree is rented once per agent and reused across its episodes, so its node arena
/// keeps its size; a returned tree goes to a free list. Its state hash covers every rented tree's nodes (line, verdict,
/// statistics), so <c>world.StateHash()</c> proves two runs searched identically.
/// </summary>
public sealed class TreeStore : IStateHashable
{
    private readonly List<SearchTree?> _trees = new();
    private readonly Stack<SearchTree> _free = new();
    private readonly Stack<int> _freeSlots = new();

    /// <summary>Trees rented and not returned.</summary>
    public int Count { get; private set; }

    /// <summary>The tree named by <paramref name="handle"/>.</summary>
    public SearchTree this[TreeHandle handle] =>
        _trees[handle.Id] ?? throw new InvalidOperationException($"tree {handle.Id} was returned to the store");

    /// <summary>Rents an empty tree (not thread-safe: call it outside parallel work, as agents are made).</summary>
    public TreeHandle Rent()
    {
        var tree = _free.Count > 0 ? _free.Pop() : new SearchTree();
        int id;
        if (_freeSlots.Count > 0) { id = _freeSlots.Pop(); _trees[id] = tree; }
        else { id = _trees.Count; _trees.Add(tree); }
        Count++;
        return new TreeHandle(id);
    }

    /// <summary>Gives the tree named by <paramref name="handle"/> back; the handle is dead afterwards.</summary>
    public void Return(TreeHandle handle)
    {
        var tree = this[handle];
        _trees[handle.Id] = null;
        _free.Push(tree);
        _freeSlots.Push(handle.Id);
        Count--;
    }

    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher)
    {
        for (int id = 0; id < _trees.Count; id++)
        {
            if (_trees[id] is not { } tree) continue;
            hasher.Add(id);
            hasher.Add(tree.Count);
            for (int i = 0; i < tree.Count; i++)
            {
                ref var n = ref tree[i];
                hasher.Add(n.Parent);
                hasher.Add(n.Text);
                hasher.Add((int)n.Verdict);
                hasher.Add(n.Visits);
                hasher.Add(n.ValueSum);
                hasher.Add(n.Prior);
                hasher.Add(n.ModelScore);
                hasher.Add(n.SelfScore);
                hasher.Add(n.Reward);
            }
        }
    }
}
