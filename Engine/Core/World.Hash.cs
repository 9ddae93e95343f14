namespace Sim.Engine;

public sealed partial class World
{
    /// <summary>
    /// A 64-bit hash of the world's state: every live entity (id, version, component types and values) and every
    /// resource that implements <see cref="IStateHashable"/> (the clock does). It does not depend on archetype or
    /// chunk layout, or on the process: two worlds with the same entities and values hash the same.
    /// Used by determinism tests and written into replays.
    /// </summary>
    public ulong StateHash()
    {
        // Per-entity hashes are summed, which makes the result independent of storage order.
        ulong sum = 0;
        foreach (var arch in _archetypes)
        {
            var types = arch.Types;
            foreach (var chunk in arch.ChunkList)
            {
                for (int r = 0; r < chunk.Count; r++)
                {
                    var e = chunk.Entities[r];
                    ulong h = StableHash.Combine(StableHash.Mix((ulong)(uint)e.Id), (ulong)(uint)e.Version);
                    for (int c = 0; c < types.Length; c++)
                    {
                        h = StableHash.Combine(h, types[c].StableId);
                        h = StableHash.Combine(h, types[c].Hash(chunk.Columns[c], r));
                    }
                    sum += StableHash.Mix(h);
                }
            }
        }
        var hasher = new StateHasher();
        hasher.Add(sum);
        hasher.Add(Size);
        hasher.Add(Random.Seed);
        foreach (var resource in Resources.All)
        {
            if (resource is IStateHashable h)
            {
                hasher.Add(resource.GetType().FullName);
                h.AppendHash(ref hasher);
            }
        }
        return hasher.Value;
    }
}
