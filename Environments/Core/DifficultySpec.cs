namespace Sim.Environments;

/// <summary>The documented difficulty parameter of an environment: an integer in [<paramref name="Min"/>, <paramref name="Max"/>].</summary>
/// <param name="Min">The easiest level.</param>
/// <param name="Max">The hardest level.</param>
/// <param name="Default">The level used when none is given.</param>
/// <param name="Meaning">What the level changes, e.g. "numbers = level + 2, values up to 10·level".</param>
public sealed record DifficultySpec(int Min, int Max, int Default, string Meaning)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (bad input) unless <paramref name="level"/> is in range.</summary>
    public int Check(int level) => level >= Min && level <= Max
        ? level
        : throw new ArgumentOutOfRangeException(nameof(level), level, $"difficulty must be in [{Min}, {Max}]");
}
