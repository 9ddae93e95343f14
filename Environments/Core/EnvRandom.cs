using Sim.Engine;

namespace Sim.Environments;

/// <summary>Seeded random streams for problem generation: one stream per (environment, seed, difficulty), never shared.</summary>
public static class EnvRandom
{
    /// <summary>The stream that <c>Sample(seed, difficulty)</c> of environment <paramref name="env"/> draws from.</summary>
    public static Rng For(string env, ulong seed, int difficulty) =>
        new(StableHash.Combine(StableHash.Combine(StableHash.Of(env), seed), (ulong)(uint)difficulty));
}
