using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using K4os.Compression.LZ4;
using MessagePack;

namespace Sim.Replay;

/// <summary>
/// Writes a replay: the preamble and header at once, then chunks of ticks, then the footer index when disposed.
/// <para>
/// Crash safety: every chunk is written as one whole frame and flushed to the operating system before the next one
/// starts, so a process killed at any moment leaves a file whose complete chunks all read back
/// (<see cref="ReplayReader"/> recovers them by scanning when the footer is missing).
/// </para>
/// <para>
/// Threading (with <see cref="ReplayWriterOptions.Background"/>): by default <see cref="Append"/> hands records to a
/// background thread in batches of <see cref="BatchTicks"/> ticks (one wake-up per batch), which encodes them into the
/// chunk, compresses, checksums and writes it, so the simulation never waits on the encoder, LZ4 or the disk. With
/// <see cref="ReplayWriterOptions.EncodeOnCaller"/> the caller encodes each tick (a few vectorised passes over its
/// columns) and the background thread only compresses and writes whole chunks (one wake-up per chunk): less work
/// off the simulation's thread, but no contention with it either, which is cheaper when the simulation already keeps
/// every core busy (see docs/replay-format.md). Append blocks only when about
/// <see cref="ReplayWriterOptions.QueueCapacity"/> ticks are waiting. The caller must not change a record after
/// appending it. Output depends only on the records and options (not on the threading), so the same run gives the
/// same bytes.
/// </para>
/// <para>
/// Recycling: a recorder may rent its tick records and column buffers from the writer (<see cref="RentRecord"/>,
/// <see cref="RentInts"/>, <see cref="RentFloats"/>); once a rented record is encoded the writer takes it and its
/// buffers back, so recording a tick allocates nothing in the steady state.
/// </para>
/// </summary>
public sealed class ReplayWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly ReplayWriterOptions _options;
    private readonly BlockingCollection<Work>? _queue;
    private readonly bool _encodeOnWriter;
    private List<TickRecord>? _batch;
    private readonly ConcurrentQueue<List<TickRecord>> _spareBatches = new();
    // Recycled tick records, shared by every writer in the process (as ChunkBuffer's arrays are): a new writer, or one
    // that fell behind by more ticks than it had spares, would otherwise grow fresh lists of a thousand tree records
    // per tick until enough were in circulation. Last in, first out: the record given back last has the warmest lists.
    private static readonly ConcurrentStack<TickRecord> s_spareRecords = new(), s_spareKeyframes = new();

    /// <summary>Most recycled delta records kept (a keyframe's are kept two at a time).</summary>
    internal const int SpareRecords = 64;

    // Largest list a kept record may hold: the pools live as long as the process, so a record that grew past it (a
    // keyframe of a huge population or forest, a burst of records) is left to the GC.
    private const int SpareKeyframeList = 1 << 16, SpareDeltaTreeNodes = 4096;

    private readonly ArrayPool<int> _ints = ArrayPool<int>.Create(1 << 27, 64);
    private readonly ArrayPool<float> _floats = ArrayPool<float>.Create(1 << 27, 64);

    /// <summary>Most ticks handed to the background thread at once when it encodes them.</summary>
    internal const int BatchTicks = 8;

    // Bytes of a chunk the background writer hands to the stream at a time (see WriteFrame).
    private const int WritePiece = 64 << 10;

    /// <summary>A finished chunk payload (in a buffer from <see cref="ChunkBuffer.Pool"/>) waiting to be written.</summary>
    private readonly record struct PendingChunk(byte[] Buffer, int Length, long First, long Last, int Ticks, MetricRecord[] Metrics);

    /// <summary>Work for the background thread: records to encode, or a finished chunk to compress and write.</summary>
    private readonly record struct Work(List<TickRecord>? Batch, PendingChunk Chunk);
    private readonly Thread? _thread;
    private Exception? _failure;
    private bool _disposed;

    // Producer side: decides chunk boundaries (so keyframes land where chunks start).
    private int _ticksInChunk;
    private long _bytesInChunk;
    private long _lastTick = long.MinValue;

    // Consumer side: the chunk being built.
    private readonly ChunkBuffer _body = new(1 << 20);
    private readonly List<ChunkInfo> _chunks = new();
    private readonly List<MetricRecord[]> _chunkMetrics = new();
    private readonly SortedDictionary<string, double> _latestMetrics = new(StringComparer.Ordinal);
    private int _pendingTicks;
    private long _pendingFirst, _pendingLast;
    private long _position;
    private readonly ChunkContext _context = new();

    /// <summary>Creates (or overwrites) a replay file at <paramref name="path"/>.</summary>
    public static ReplayWriter Create(string path, ReplayHeader header, ReplayWriterOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        try { return new ReplayWriter(stream, header, options, ownsStream: true); }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Starts a replay on <paramref name="stream"/>, writing the preamble and header frame at once.</summary>
    public ReplayWriter(Stream stream, ReplayHeader header, ReplayWriterOptions? options = null, bool ownsStream = false)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _options = options ?? new ReplayWriterOptions();
        if (_options.SchemaVersion is < ReplayFormat.OldestReadableVersion or > ReplayFormat.CurrentVersion)
            throw new ArgumentException($"cannot write schema version {_options.SchemaVersion}");
        if (_options.ChunkTicks < 1 || _options.ChunkTicks > ReplayFormat.MaxTicksPerChunk)
            throw new ArgumentException($"ChunkTicks must be in 1..{ReplayFormat.MaxTicksPerChunk}");
        Header = header with { SchemaVersion = _options.SchemaVersion, ChunkTicks = _options.ChunkTicks };

        Span<byte> pre = stackalloc byte[ReplayFormat.PreambleSize];
        ReplayFormat.Magic.CopyTo(pre);
        BinaryPrimitives.WriteInt32LittleEndian(pre[8..], _options.SchemaVersion);
        BinaryPrimitives.WriteInt32LittleEndian(pre[12..], 0);
        _stream.Write(pre);
        _position = pre.Length;
        WriteFrame(FrameKind.Header, Encode((ref MessagePackWriter w) => RecordCodec.WriteHeader(ref w, Header, _options.SchemaVersion)), 0, 0, 0, compress: false);
        if (_options.IncludeMeta)
        {
            var meta = new ReplayMeta(new Dictionary<string, string>
            {
                ["created_utc"] = DateTime.UtcNow.ToString("O"),
                ["host"] = Environment.MachineName,
            });
            WriteFrame(FrameKind.Meta, Encode((ref MessagePackWriter w) => RecordCodec.WriteMeta(ref w, meta)), 0, 0, 0, compress: false);
        }
        _stream.Flush();

        if (_options.Background)
        {
            _encodeOnWriter = !_options.EncodeOnCaller;
            _queue = new BlockingCollection<Work>(Math.Max(1, _options.QueueCapacity / (_encodeOnWriter ? BatchTicks : _options.ChunkTicks)));
            _thread = new Thread(Consume) { IsBackground = true, Name = "replay-writer" };
            _thread.Start();
        }
    }

    /// <summary>The header as written (schema version and chunk size filled in).</summary>
    public ReplayHeader Header { get; }

    /// <summary>True when the next appended tick starts a new chunk and so must be a keyframe.</summary>
    public bool NeedsKeyframe => _ticksInChunk == 0 || _ticksInChunk >= _options.ChunkTicks || _bytesInChunk >= _options.ChunkBytes;

    /// <summary>Ticks appended so far.</summary>
    public long TicksAppended { get; private set; }

    /// <summary>
    /// Appends one tick. Ticks must increase. A keyframe starts a new chunk; the first tick and every tick for which
    /// <see cref="NeedsKeyframe"/> was true must be keyframes. Do not modify <paramref name="record"/> afterwards.
    /// </summary>
    public void Append(TickRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFailed();
        if (record.Tick <= _lastTick) throw new ArgumentException($"tick {record.Tick} does not follow tick {_lastTick}");
        if (NeedsKeyframe && !record.Keyframe) throw new ArgumentException($"tick {record.Tick} starts a chunk and must be a keyframe");
        _lastTick = record.Tick;
        if (record.Keyframe) { _ticksInChunk = 0; _bytesInChunk = 0; }
        _ticksInChunk++;
        _bytesInChunk += record.EstimateSize();
        TicksAppended++;
        if (!_encodeOnWriter) { Process(record); return; }
        if (_batch is null && !_spareBatches.TryDequeue(out _batch)) _batch = new List<TickRecord>(BatchTicks);
        _batch.Add(record);
        if (_batch.Count >= BatchTicks) HandOff();
    }

    // True on the background writer thread, which yields its core between ticks and between compressed blocks.
    [ThreadStatic] private static bool t_writerThread;

    // Whether the writer thread should yield now: while it keeps up. Once half the queue waits, the simulation makes
    // ticks faster than the writer encodes them (the demo's every-entity-changes stress case) and will soon block on
    // the full queue, so the writer works without yielding: yields then only slowed it, and the simulation with it
    // (5.0 against 2.7 times the unrecorded demo).
    private bool Yielding => t_writerThread && _queue is { } q && q.Count < q.BoundedCapacity / 2;

    private void HandOff()
    {
        if (_batch is not { Count: > 0 }) return;
        var batch = _batch;
        _batch = null;
        _queue!.Add(new Work(batch, default));
    }

    /// <summary>
    /// An empty tick record to fill and <see cref="Append"/>; the writer recycles it (and the rented buffers of its
    /// component blocks) once it is encoded, so it must not be kept or appended twice.
    /// </summary>
    internal TickRecord RentRecord(long tick, bool keyframe)
    {
        // Keyframes have records of their own: a keyframe restates every tree and entity, and its lists (a few thousand
        // tree records: large-object-heap arrays) are worth keeping for the next keyframe rather than growing anew in
        // whichever delta record comes up.
        var spares = keyframe ? s_spareKeyframes : s_spareRecords;
        if (!spares.TryPop(out var r)) r = new TickRecord { Rented = true };
        r.Tick = tick;
        r.Keyframe = keyframe;
        return r;
    }

    /// <summary>An id buffer of at least <paramref name="length"/> entries, for a rented <see cref="ComponentBlock"/>.</summary>
    internal int[] RentInts(int length) => _ints.Rent(Math.Max(1, length));

    /// <summary>A value buffer of at least <paramref name="length"/> entries, for a rented <see cref="ComponentBlock"/>.</summary>
    internal float[] RentFloats(int length) => _floats.Rent(Math.Max(1, length));

    /// <summary>Gives back buffers from <see cref="RentInts"/> and <see cref="RentFloats"/> that went unused.</summary>
    internal void ReturnColumns(int[] entities, float[] values)
    {
        _ints.Return(entities);
        _floats.Return(values);
    }

    private void Recycle(TickRecord record)
    {
        foreach (var b in record.Components)
        {
            if (!b.Rented) continue;
            _ints.Return(b.Entities);
            _floats.Return(b.Values);
        }
        if (!record.Rented) return;
        if (record.Keyframe)
        {
            if (s_spareKeyframes.Count >= 2 || record.TreeNodes.Capacity > SpareKeyframeList || record.Created.Capacity > SpareKeyframeList) return;
            record.Reset();
            s_spareKeyframes.Push(record);
            return;
        }
        // A delta that grew unusually large (a burst of new entities or nodes) is left to the GC rather than kept.
        if (s_spareRecords.Count >= SpareRecords || record.TreeNodes.Capacity > SpareDeltaTreeNodes || record.Created.Capacity > 1 << 16 || record.Episodes.Capacity > 1024) return;
        record.Reset();
        s_spareRecords.Push(record);
    }

    /// <summary>Writes the last chunk, the footer and the trailer, and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (_queue is not null)
            {
                if (_failure is null)
                {
                    if (_encodeOnWriter) HandOff();
                    else FlushChunk();
                }
                _queue.CompleteAdding();
                _thread!.Join();
                _queue.Dispose();
            }
            ThrowIfFailed();
            FlushChunk(); // the last chunk, when it was encoded on the writer thread or there is none
            long footerOffset = _position;
            WriteFrame(FrameKind.Footer, Encode((ref MessagePackWriter w) => RecordCodec.WriteFooter(ref w, _chunks, _chunkMetrics)), 0, 0, 0, compress: true);
            Span<byte> trailer = stackalloc byte[ReplayFormat.TrailerSize];
            BinaryPrimitives.WriteInt64LittleEndian(trailer, footerOffset);
            ReplayFormat.TrailerMagic.CopyTo(trailer[8..]);
            _stream.Write(trailer);
            _position += trailer.Length;
            _stream.Flush();
        }
        finally
        {
            try { if (_ownsStream) _stream.Dispose(); }
            finally { if (_thread is null || !_thread.IsAlive) _body.Dispose(); } // back to the pool, unless the thread still uses it
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) throw new IOException($"the replay writer failed: {_failure.Message}", _failure);
    }

    private void Consume()
    {
        if (_options.IdleWriter) IdleScheduling.TryCurrentThread();
        t_writerThread = true;
        try
        {
            foreach (var work in _queue!.GetConsumingEnumerable())
            {
                if (work.Batch is { } batch)
                {
                    foreach (var record in batch)
                    {
                        Process(record);
                        // A tick's encoding is tens of microseconds; between ticks, any runnable thread gets the core
                        // back (see Lz4Blocks for why waiting for the writer's time slice costs a simulation dearly).
                        if (Yielding) Thread.Yield();
                    }
                    batch.Clear();
                    _spareBatches.Enqueue(batch);
                    continue;
                }
                var chunk = work.Chunk;
                try { WriteChunk(chunk.Buffer.AsMemory(0, chunk.Length), chunk.First, chunk.Last, chunk.Ticks, chunk.Metrics); }
                finally { ChunkBuffer.Pool.Return(chunk.Buffer); }
            }
        }
        catch (Exception ex)
        {
            _failure = ex;
            // Keep draining until the writer is disposed, so the producer never blocks on a full queue.
            foreach (var work in _queue!.GetConsumingEnumerable())
                if (work.Batch is null) ChunkBuffer.Pool.Return(work.Chunk.Buffer);
        }
    }

    private void Process(TickRecord record)
    {
        if (record.Keyframe) FlushChunk();
        if (_pendingTicks == 0)
        {
            _pendingFirst = record.Tick;
            // Room for the chunk's array32 header, patched with the tick count at flush: no copy of the chunk later.
            _body.GetSpan(5);
            _body.Advance(5);
        }
        _pendingLast = record.Tick;
        _pendingTicks++;
        var w = new MessagePackWriter(_body);
        RecordCodec.WriteTick(ref w, record, _options.SchemaVersion, _options.SchemaVersion >= 2 ? _context : null);
        w.Flush();
        foreach (var m in record.Metrics) _latestMetrics[m.Name] = m.Value;
        Recycle(record);
    }

    private void FlushChunk()
    {
        if (_pendingTicks == 0) return;
        var payload = _body.WrittenMemory;
        if (_options.SchemaVersion >= 2)
        {
            payload.Span[0] = 0xDD; // MessagePack array32
            BinaryPrimitives.WriteUInt32BigEndian(payload.Span[1..], (uint)_pendingTicks);
        }
        else
        {
            // Version 1 files used the shortest array header; keep writing them byte for byte as they were.
            var v1 = new ArrayBufferWriter<byte>(payload.Length);
            var w = new MessagePackWriter(v1);
            w.WriteArrayHeader(_pendingTicks);
            w.Flush();
            v1.Write(payload.Span[5..]);
            payload = System.Runtime.InteropServices.MemoryMarshal.AsMemory(v1.WrittenMemory);
        }
        var metrics = _latestMetrics.Select(kv => new MetricRecord(kv.Key, kv.Value)).ToArray();
        if (_queue is null || _encodeOnWriter)
        {
            // Synchronous, or already on the writer thread (or after it has finished, in Dispose).
            WriteChunk(payload, _pendingFirst, _pendingLast, _pendingTicks, metrics);
        }
        else
        {
            // The chunk buffer is reused at once: the writer thread gets a copy (one memcpy per chunk).
            var copy = ChunkBuffer.Pool.Rent(payload.Length);
            payload.Span.CopyTo(copy);
            _queue.Add(new Work(null, new PendingChunk(copy, payload.Length, _pendingFirst, _pendingLast, _pendingTicks, metrics)));
        }
        _body.ResetWrittenCount(); // no need to zero the buffer: every byte is written before it is read
        _pendingTicks = 0;
        _context.Reset();
    }

    /// <summary>Compresses, checksums and writes one chunk frame, then flushes (on the writer thread when there is one).</summary>
    private void WriteChunk(ReadOnlyMemory<byte> payload, long first, long last, int ticks, MetricRecord[] metrics)
    {
        long offset = _position;
        var (stored, raw) = WriteFrame(FrameKind.Chunk, payload, first, last, ticks, _options.Compress);
        _chunks.Add(new ChunkInfo(offset, stored, raw, first, ticks, last));
        _chunkMetrics.Add(metrics);
        _stream.Flush(); // whole chunks reach the OS: a kill -9 after this loses nothing before it
    }

    private (int Stored, int Raw) WriteFrame(FrameKind kind, ReadOnlyMemory<byte> raw, long first, long last, int ticks, bool compress)
    {
        if (raw.Length > ReplayFormat.MaxRawLength)
            throw new InvalidOperationException($"a {kind} frame of {raw.Length} bytes exceeds the format's bound; lower ChunkBytes");
        ReadOnlySpan<byte> stored = raw.Span;
        var codec = FrameCodec.None;
        byte[]? rented = null;
        try
        {
            if (compress && raw.Length >= 256)
            {
                // Version 5 compresses linked 16 KiB blocks one at a time, and the writer thread yields its core between them.
                bool blocks = _options.SchemaVersion >= 5;
                rented = ChunkBuffer.Pool.Rent(blocks ? Lz4Blocks.MaxEncodedLength(raw.Length) : LZ4Codec.MaximumOutputSize(raw.Length));
                int n = blocks ? Lz4Blocks.Encode(raw.Span, rented, yieldBetweenBlocks: Yielding)
                    : LZ4Codec.Encode(raw.Span, rented, LZ4Level.L00_FAST);
                // LZ4 where it pays: keep the compressed form only if it saves at least an eighth.
                if (n > 0 && n < raw.Length - raw.Length / 8)
                {
                    stored = rented.AsSpan(0, n);
                    codec = blocks ? FrameCodec.Lz4Blocks : FrameCodec.Lz4;
                }
            }
            if (stored.Length > ReplayFormat.MaxStoredLength)
                throw new InvalidOperationException($"a {kind} frame of {stored.Length} bytes exceeds the format's bound; lower ChunkBytes");
            Span<byte> header = stackalloc byte[ReplayFormat.FrameHeaderSize];
            new FrameHeader(kind, codec, stored.Length, raw.Length, first, last, ticks, Crc32C.Compute(stored)).Write(header);
            _stream.Write(header);
            if (!Yielding) _stream.Write(stored);
            else
            {
                // A chunk is about half a megabyte: written in pieces, the writer yields its core between them too.
                for (int at = 0; at < stored.Length; at += WritePiece)
                {
                    _stream.Write(stored.Slice(at, Math.Min(WritePiece, stored.Length - at)));
                    Thread.Yield();
                }
            }
            _position += header.Length + stored.Length;
            return (stored.Length, raw.Length);
        }
        finally
        {
            if (rented is not null) ChunkBuffer.Pool.Return(rented);
        }
    }

    private delegate void Encoder(ref MessagePackWriter w);

    private static ReadOnlyMemory<byte> Encode(Encoder body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new MessagePackWriter(buffer);
        body(ref w);
        w.Flush();
        return buffer.WrittenMemory;
    }
}
