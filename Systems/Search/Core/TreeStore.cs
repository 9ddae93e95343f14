using Sim.Engine;

namespace Sim.Systems.Search;

/// <summary>
/// The world resource that owns every agent's <see cref="SearchTree"/>, addressed by <see cref="TreeHandle"/> (as Bepu
/// keeps its buffers in a pool). A tree is rented once per agent and reused across its episodes, so its node arena
/// keeps its size. Its state hash covers every rented tree's nodes (line, verdict, statistics), so
/// <c>world.StateHash()</c> proves two runs searched identically.
/// </summary>
public sealed class TreeStore : IStateHashable
{
    private readonly List<SearchTree> _trees = new();

    /// <summary>Trees rented.</summary>
    public int Count => _trees.Count;

    /// <summary>The tree named by <paramref name="handle"/>.</summary>
    public SearchTree this[TreeHandle handle] => _trees[handle.Id];

    /// <summary>Rents an empty tree (not thread-safe: call it outside parallel work, as agents are made).</summary>
    public TreeHandle Rent()
    {
        _trees.Add(new SearchTree());
        return new TreeHandle(_trees.Count - 1);
    }

    /// <inheritdoc />
    public void AppendHash(ref StateHasher hasher)
    {
        for (int id = 0; id < _trees.Count; id++)
        {
            var tree = _trees[id];
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
