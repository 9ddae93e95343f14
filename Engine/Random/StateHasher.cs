namespace Sim.Engine;

/// <summary>An order-sensitive, process-stable 64-bit hash builder used by <see cref="IStateHashable"/>.</summary>
public struct StateHasher
{
    private ulong _h;

    /// <summary>The hash of everything added so far.</summary>
    public readonly ulong Value => StableHash.Mix(_h);

    /// <summary>Adds a 64-bit value.</summary>
    public void Add(ulong v) => _h = StableHash.Combine(_h, v);

    /// <summary>Adds a signed integer.</summary>
    public void Add(long v) => Add((ulong)v);

    /// <summary>Adds an integer.</summary>
    public void Add(int v) => Add((ulong)(uint)v);

    /// <summary>Adds a double by its bit pattern.</summary>
    public void Add(double v) => Add((ulong)BitConverter.DoubleToInt64Bits(v));

    /// <summary>Adds a string (null and empty differ).</summary>
    public void Add(string? s) => Add(s is null ? 0x5EEDUL : StableHash.Of(s));
}
