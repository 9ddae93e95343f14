namespace Sim.Engine;

/// <summary>
/// The world's source of randomness: a seed, and streams split from it by (purpose, key, key).
/// Each stream depends only on the seed and its own keys, never on how many draws other code made or on
/// which thread asked first, so results never depend on iteration or thread order.
/// </summary>
/// <example><code>
/// var rng = world.Random.Stream("policy.sample", agent, world.Clock.Tick);
/// double u = rng.NextDouble();
/// </code></example>
public sealed class SimRandom(ulong seed)
{
    /// <summary>The world seed.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>A stream for <paramref name="purpose"/> alone.</summary>
    public Rng Stream(string purpose) => new(Key(purpose, 0, 0));

    /// <summary>A stream for <paramref name="purpose"/> and one entity (its id and version).</summary>
    public Rng Stream(string purpose, Entity entity) => new(Key(purpose, EntityKey(entity), 0));

    /// <summary>A stream for <paramref name="purpose"/>, one entity and one more key (a tick, a sample index).</summary>
    public Rng Stream(string purpose, Entity entity, long key) => new(Key(purpose, EntityKey(entity), (ulong)key));

    /// <summary>A stream for <paramref name="purpose"/> and two free keys.</summary>
    public Rng Stream(string purpose, ulong key1, ulong key2 = 0) => new(Key(purpose, key1, key2));

    /// <summary>The 64-bit key a stream is seeded from; useful to seed sub-generators in other libraries.</summary>
    public ulong Key(string purpose, ulong key1, ulong key2)
    {
        ulong h = StableHash.Combine(StableHash.Mix(Seed), StableHash.Of(purpose));
        h = StableHash.Combine(h, key1);
        return StableHash.Combine(h, key2);
    }

    private static ulong EntityKey(Entity e) => ((ulong)(uint)e.Version << 32) | (uint)e.Id;
}
