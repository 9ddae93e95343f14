using System.Runtime.CompilerServices;

namespace Sim.Engine;

/// <summary>
/// Runtime information about one component type: its process-wide id, size, and the typed operations the
/// world needs to move, clear and hash values without boxing.
/// </summary>
public abstract class ComponentType
{
    private static readonly Lock Gate = new();
    private static ComponentType[] _all = new ComponentType[16];
    private static int _count;

    private protected ComponentType(Type type, int id)
    {
        Type = type;
        Id = id;
        StableId = StableHash.Of(type.FullName ?? type.Name);
    }

    /// <summary>The CLR type.</summary>
    public Type Type { get; }

    /// <summary>The process-wide id (registration order; differs between processes).</summary>
    public int Id { get; }

    /// <summary>A hash of the type's full name; unlike <see cref="Id"/> it is the same in every process, so state hashes use it.</summary>
    public ulong StableId { get; }

    /// <summary>Size of one value in bytes.</summary>
    public abstract int Size { get; }

    /// <summary>True when values hold references; such columns are copied and cleared through typed code, others as raw bytes.</summary>
    public abstract bool IsManaged { get; }

    /// <summary>The number of registered component types.</summary>
    public static int Count => Volatile.Read(ref _count);

    /// <summary>Looks up a registered type by id.</summary>
    public static ComponentType FromId(int id) => Volatile.Read(ref _all)[id];

    internal abstract Array NewArray(int capacity);
    internal abstract void ReturnArray(Array array);
    internal abstract void TrimPool();
    internal abstract void Copy(Array src, int srcRow, Array dst, int dstRow);
    internal abstract void Clear(Array array, int row);
    internal abstract void ClearRange(Array array, int start, int count);
    internal abstract ulong Hash(Array array, int row);

    internal static ComponentType Register<T>()
    {
        lock (Gate)
        {
            if (_count >= ComponentMask.Capacity)
                throw new InvalidOperationException($"more than {ComponentMask.Capacity} component types registered");
            var info = new ComponentType<T>(_count);
            if (_count == _all.Length) Array.Resize(ref _all, _all.Length * 2);
            _all[_count] = info;
            Volatile.Write(ref _count, _count + 1);
            return info;
        }
    }
}

/// <summary>The typed half of <see cref="ComponentType"/>; <see cref="Info"/> is the type's registration, made on first use.</summary>
public sealed class ComponentType<T> : ComponentType
{
    /// <summary>The registration of <typeparamref name="T"/>.</summary>
    public static readonly ComponentType Info = Register<T>();

    /// <summary>The id of <typeparamref name="T"/>, read without a lookup.</summary>
    public static readonly int Id_ = Info.Id;

    internal ComponentType(int id) : base(typeof(T), id) { }

    private static readonly bool Managed = RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    /// <inheritdoc />
    public override int Size => Unsafe.SizeOf<T>();

    /// <inheritdoc />
    public override bool IsManaged => Managed;

    internal override Array NewArray(int capacity) => ChunkPool<T>.Rent(capacity);

    internal override void ReturnArray(Array array) => ChunkPool<T>.Return(Unsafe.As<T[]>(array));

    internal override void TrimPool() => ChunkPool<T>.Trim();

    internal override void Copy(Array src, int srcRow, Array dst, int dstRow) =>
        Unsafe.As<T[]>(dst)[dstRow] = Unsafe.As<T[]>(src)[srcRow];

    internal override void Clear(Array array, int row)
    {
        // Only managed values need clearing: it drops references so the GC can collect them.
        if (Managed) Unsafe.As<T[]>(array)[row] = default!;
    }

    internal override void ClearRange(Array array, int start, int count)
    {
        if (Managed) Array.Clear(array, start, count);
    }

    internal override ulong Hash(Array array, int row)
    {
        ref T value = ref Unsafe.As<T[]>(array)[row];
        if (value is IStateHashable h)
        {
            var hasher = new StateHasher();
            h.AppendHash(ref hasher);
            return hasher.Value;
        }
        if (!Managed)
            return StableHash.OfBytes(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>()));
        // Managed components without IStateHashable fall back to their text form; records print every member.
        return StableHash.Of(value?.ToString() ?? "");
    }
}
