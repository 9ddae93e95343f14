using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sim.Engine;

/// <summary>
/// A fixed 256-bit set of component type ids. Archetypes are keyed by it and queries test against it with a few ANDs.
/// 256 component types per process is far more than Sim uses; registering more throws.
/// </summary>
public struct ComponentMask : IEquatable<ComponentMask>
{
    /// <summary>The number of distinct component types a process may register.</summary>
    public const int Capacity = 256;

    private ulong _a, _b, _c, _d;

    /// <summary>True when no bit is set.</summary>
    public readonly bool IsEmpty => (_a | _b | _c | _d) == 0;

    /// <summary>The number of bits set.</summary>
    public readonly int Count => BitOperations.PopCount(_a) + BitOperations.PopCount(_b) + BitOperations.PopCount(_c) + BitOperations.PopCount(_d);

    /// <summary>Sets bit <paramref name="id"/>.</summary>
    public void Set(int id) => Word(id) |= 1UL << (id & 63);

    /// <summary>Clears bit <paramref name="id"/>.</summary>
    public void Clear(int id) => Word(id) &= ~(1UL << (id & 63));

    /// <summary>Tests bit <paramref name="id"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Has(int id) => (id >> 6) switch
    {
        0 => (_a >> id & 1) != 0,
        1 => (_b >> (id & 63) & 1) != 0,
        2 => (_c >> (id & 63) & 1) != 0,
        3 => (_d >> (id & 63) & 1) != 0,
        _ => false,
    };

    /// <summary>True when every bit of <paramref name="other"/> is also set here.</summary>
    public readonly bool ContainsAll(in ComponentMask other) =>
        (_a & other._a) == other._a && (_b & other._b) == other._b && (_c & other._c) == other._c && (_d & other._d) == other._d;

    /// <summary>True when at least one bit is set in both.</summary>
    public readonly bool Overlaps(in ComponentMask other) =>
        ((_a & other._a) | (_b & other._b) | (_c & other._c) | (_d & other._d)) != 0;

    /// <summary>The union of two masks.</summary>
    public static ComponentMask operator |(ComponentMask x, ComponentMask y)
    {
        x._a |= y._a; x._b |= y._b; x._c |= y._c; x._d |= y._d;
        return x;
    }

    /// <summary>The ids of the set bits, ascending.</summary>
    public readonly int[] ToIds()
    {
        var ids = new int[Count];
        int n = 0;
        for (int id = 0; id < Capacity; id++)
            if (Has(id)) ids[n++] = id;
        return ids;
    }

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private ref ulong Word(int id)
    {
        if ((uint)id >= Capacity) throw new ArgumentOutOfRangeException(nameof(id), $"component id {id} is outside 0..{Capacity - 1}");
        switch (id >> 6)
        {
            case 0: return ref _a;
            case 1: return ref _b;
            case 2: return ref _c;
            default: return ref _d;
        }
    }

    /// <inheritdoc />
    public readonly bool Equals(ComponentMask other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is ComponentMask m && Equals(m);

    /// <inheritdoc />
    public override readonly int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);
}
