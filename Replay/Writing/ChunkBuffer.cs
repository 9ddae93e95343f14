using System.Buffers;

namespace Sim.Replay;

/// <summary>
/// The growable buffer a writer builds chunk payloads in, rented from a process-wide pool of large arrays
/// (<see cref="Pool"/>) and given back when the writer is disposed.
/// <para>
/// Why not <see cref="ArrayBufferWriter{T}"/> or <see cref="ArrayPool{T}.Shared"/>: a chunk buffer is about a megabyte,
/// so every new one lands on the large object heap, whose allocations are what start full (gen2) collections. A run
/// that recorded with a fresh 1 MB buffer (and a fresh LZ4 output buffer per writer thread) set off a gen2 collection
/// in each 200-tick bench run, a pause of tens of milliseconds. The shared pool keeps its arrays per thread and trims
/// them after collections, and each writer has a thread of its own; this pool keeps a few per size, for any thread.
/// </para>
/// </summary>
internal sealed class ChunkBuffer : IBufferWriter<byte>, IDisposable
{
    /// <summary>
    /// Large arrays (chunk payloads, LZ4 output) shared by every writer in the process: up to 16 MiB (default chunks
    /// are about 1 MiB), two of each size. Larger requests get arrays of their own, dropped when given back, so one huge
    /// chunk does not leave the process holding hundreds of megabytes (this pool never trims).
    /// </summary>
    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(16 << 20, 2);

    private byte[] _buffer;
    private int _written;

    /// <summary>Rents a buffer of at least <paramref name="capacity"/> bytes.</summary>
    public ChunkBuffer(int capacity) => _buffer = Pool.Rent(capacity);

    /// <summary>The bytes written so far; writable, so a header reserved at the start can be patched.</summary>
    public Memory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>Forgets what was written; keeps the buffer (its bytes are overwritten before they are read again).</summary>
    public void ResetWrittenCount() => _written = 0;

    /// <inheritdoc />
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written)) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int need = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= need) return;
        long size = Math.Max((long)_written + need, 2L * _buffer.Length);
        var bigger = Pool.Rent((int)Math.Min(size, Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        Pool.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        Pool.Return(_buffer);
        _buffer = [];
        _written = 0;
    }
}
