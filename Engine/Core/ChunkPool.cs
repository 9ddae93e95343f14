namespace Sim.Engine;

/// <summary>
/// A process-wide pool of chunk arrays (component columns, entity rows and slot pages), bucketed by length.
/// Worlds are built and torn down often (one per experiment, per test, per benchmark round); recycling their
/// arrays saves the page faults and zeroing of fresh memory, which on a virtual machine cost more than the entity
/// writes themselves. Rented arrays are not zeroed: the world writes every column of a row before anyone reads it.
/// </summary>
internal static class ChunkPool<T>
{
    // At most this many arrays per length are kept; the rest go to the GC.
    private const int MaxPerBucket = 256;
    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Stack<T[]>> Buckets = new();
    private static readonly bool IsManaged = System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    public static T[] Rent(int length)
    {
        lock (Gate)
        {
            if (Buckets.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    public static void Return(T[] array)
    {
        // Managed arrays are cleared so pooled memory never keeps dead objects alive.
        if (IsManaged) Array.Clear(array);
        lock (Gate)
        {
            if (!Buckets.TryGetValue(array.Length, out var stack)) Buckets[array.Length] = stack = new Stack<T[]>();
            if (stack.Count < MaxPerBucket) stack.Push(array);
        }
    }

    public static void Trim()
    {
        lock (Gate) Buckets.Clear();
    }
}
