using System.Buffers.Binary;
using K4os.Compression.LZ4;
using MessagePack;
using Microsoft.Win32.SafeHandles;

namespace Sim.Replay;

/// <summary>
/// Reads a replay with random access. Opening reads only the preamble, the header and the footer index (or, for a
/// file without a footer, the frame headers), never the chunks; <see cref="ReadChunk"/> loads one chunk on demand, so
/// a 1 GB replay opens in milliseconds. Every problem is reported as a <see cref="ReplayFormatException"/> naming the
/// byte offset; no length is trusted before it is bounded and checked against the file size.
/// </summary>
public sealed class ReplayReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly List<ChunkInfo> _chunks;
    private readonly List<MetricRecord[]> _chunkMetrics;
    private readonly object _cacheLock = new();
    private readonly LinkedList<(int Index, TickRecord[] Ticks)> _cache = new();
    private const int CacheSize = 4;

    private ReplayReader(SafeFileHandle file, string path)
    {
        _file = file;
        Path = path;
        Length = RandomAccess.GetLength(file);
        _chunks = new List<ChunkInfo>();
        _chunkMetrics = new List<MetricRecord[]>();
    }

    /// <summary>Opens <paramref name="path"/>; throws <see cref="ReplayFormatException"/> if it is not a readable replay.</summary>
    public static ReplayReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"replay '{path}' does not exist", path);
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var reader = new ReplayReader(file, path);
        try
        {
            reader.Load();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>File size in bytes.</summary>
    public long Length { get; }

    /// <summary>Schema version of the file.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>The header.</summary>
    public ReplayHeader Header { get; private set; } = null!;

    /// <summary>The optional meta section, or null.</summary>
    public ReplayMeta? Meta { get; private set; }

    /// <summary>The chunks, in tick order.</summary>
    public IReadOnlyList<ChunkInfo> Chunks => _chunks;

    /// <summary>Latest metric values at the end of each chunk (from the footer; empty for a file that was cut short).</summary>
    public IReadOnlyList<MetricRecord[]> ChunkMetrics => _chunkMetrics;

    /// <summary>True when the file was closed cleanly and has its footer index.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>For a file that was cut short: where and how. Null for a complete file.</summary>
    public ReplayFormatException? Truncation { get; private set; }

    /// <summary>First recorded tick, or 0 when there are none.</summary>
    public long FirstTick => _chunks.Count > 0 ? _chunks[0].FirstTick : 0;

    /// <summary>Last recorded tick, or 0 when there are none.</summary>
    public long LastTick => _chunks.Count > 0 ? _chunks[^1].LastTick : 0;

    /// <summary>Number of recorded ticks.</summary>
    public long TickCount => _chunks.Sum(c => (long)c.TickCount);

    private void Load()
    {
        if (Length < ReplayFormat.PreambleSize)
            throw new ReplayFormatException(Length, $"not a replay: the file is only {Length} bytes", truncated: Length > 0 && StartsWithMagic());
        Span<byte> pre = stackalloc byte[ReplayFormat.PreambleSize];
        ReadExactly(pre, 0);
        if (!pre[..8].SequenceEqual(ReplayFormat.Magic))
            throw new ReplayFormatException(0, "not a replay: wrong magic bytes");
        SchemaVersion = BinaryPrimitives.ReadInt32LittleEndian(pre[8..]);
        if (SchemaVersion < ReplayFormat.OldestReadableVersion || SchemaVersion > ReplayFormat.CurrentVersion)
            throw new ReplayFormatException(8, $"schema version {SchemaVersion} is not readable (this reader reads {ReplayFormat.OldestReadableVersion}..{ReplayFormat.CurrentVersion})");

        long offset = ReplayFormat.PreambleSize;
        var (hh, hp) = ReadFrame(offset, verify: true);
        if (hh.Kind != FrameKind.Header) throw new ReplayFormatException(offset, $"expected the header frame, found a {hh.Kind} frame");
        Header = Decode(hp, offset, (ref MessagePackReader r) => RecordCodec.ReadHeader(ref r));
        if (Header.SchemaVersion != SchemaVersion)
            throw new ReplayFormatException(offset, $"header says schema version {Header.SchemaVersion} but the preamble says {SchemaVersion}");
        offset += ReplayFormat.FrameHeaderSize + hh.StoredLength;

        if (TryLoadFooter(offset)) { IsComplete = true; return; }
        Scan(offset);
    }

    private bool StartsWithMagic()
    {
        Span<byte> b = stackalloc byte[(int)Math.Min(8, Length)];
        ReadExactly(b, 0);
        return ReplayFormat.Magic.StartsWith(b);
    }

    /// <summary>Reads the trailer and footer; false when the file has no valid trailer (it was not closed).</summary>
    private bool TryLoadFooter(long firstFrame)
    {
        if (Length < firstFrame + ReplayFormat.FrameHeaderSize + ReplayFormat.TrailerSize) return false;
        Span<byte> trailer = stackalloc byte[ReplayFormat.TrailerSize];
        long trailerAt = Length - ReplayFormat.TrailerSize;
        ReadExactly(trailer, trailerAt);
        if (!trailer[8..].SequenceEqual(ReplayFormat.TrailerMagic)) return false;
        long footerAt = BinaryPrimitives.ReadInt64LittleEndian(trailer);
        if (footerAt < firstFrame || footerAt > trailerAt - ReplayFormat.FrameHeaderSize)
            throw new ReplayFormatException(trailerAt, $"trailer points at offset {footerAt}, outside the file's frames");
        var (fh, fp) = ReadFrame(footerAt, verify: true);
        if (fh.Kind != FrameKind.Footer) throw new ReplayFormatException(footerAt, $"trailer points at a {fh.Kind} frame, not the footer");
        if (footerAt + ReplayFormat.FrameHeaderSize + fh.StoredLength != trailerAt)
            throw new ReplayFormatException(footerAt, "footer frame does not end where the trailer starts");
        var (chunks, metrics) = Decode(fp, footerAt, (ref MessagePackReader r) => RecordCodec.ReadFooter(ref r));
        long expected = firstFrame;
        // Frames between the header and the first chunk (the optional meta frame).
        while (expected < footerAt && (chunks.Count == 0 || expected < chunks[0].Offset))
        {
            var (h, p) = ReadFrame(expected, verify: true);
            if (h.Kind == FrameKind.Meta) Meta = Decode(p, expected, (ref MessagePackReader r) => RecordCodec.ReadMeta(ref r));
            else if (h.Kind != FrameKind.Chunk) throw new ReplayFormatException(expected, $"unexpected {h.Kind} frame");
            else break;
            expected += ReplayFormat.FrameHeaderSize + h.StoredLength;
        }
        long prevLast = long.MinValue;
        for (int i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            if (c.Offset != expected || c.StoredLength < 0 || c.Offset + ReplayFormat.FrameHeaderSize + c.StoredLength > footerAt
                || c.TickCount <= 0 || c.FirstTick <= prevLast || c.LastTick < c.FirstTick)
                throw new ReplayFormatException(footerAt, $"footer index entry {i} is inconsistent (offset {c.Offset})");
            expected = c.Offset + ReplayFormat.FrameHeaderSize + c.StoredLength;
            prevLast = c.LastTick;
        }
        if (expected != footerAt) throw new ReplayFormatException(footerAt, "footer index does not cover every frame before it");
        _chunks.AddRange(chunks);
        _chunkMetrics.AddRange(metrics.Count == chunks.Count ? metrics : chunks.Select(_ => Array.Empty<MetricRecord>()));
        return true;
    }

    /// <summary>
    /// Recovers the chunk list of a file without a footer by walking the frame headers. Stops at the first frame that
    /// is incomplete (the file was cut short there) and records it in <see cref="Truncation"/>; a frame header that
    /// is present but wrong is corruption and throws.
    /// </summary>
    private void Scan(long offset)
    {
        Span<byte> hb = stackalloc byte[ReplayFormat.FrameHeaderSize];
        long prevLast = long.MinValue;
        while (true)
        {
            if (offset == Length) { Truncation = new ReplayFormatException(offset, "file was cut short: it ends after a complete chunk but has no footer index", truncated: true); return; }
            if (Length - offset < ReplayFormat.FrameHeaderSize)
            {
                // A partial header at the end is what a crash leaves; anything else there would be a trailer fragment.
                Truncation = new ReplayFormatException(offset, $"file was cut short: {Length - offset} bytes of an incomplete frame header", truncated: true);
                return;
            }
            ReadExactly(hb, offset);
            var h = FrameHeader.Read(hb, offset);
            long end = offset + ReplayFormat.FrameHeaderSize + h.StoredLength;
            if (end > Length)
            {
                Truncation = new ReplayFormatException(offset, $"file was cut short: a {h.Kind} frame needs {h.StoredLength} payload bytes but only {Length - offset - ReplayFormat.FrameHeaderSize} remain", truncated: true);
                return;
            }
            switch (h.Kind)
            {
                case FrameKind.Chunk:
                    if (h.TickCount <= 0 || h.FirstTick <= prevLast) throw new ReplayFormatException(offset, "chunk tick range is out of order");
                    _chunks.Add(new ChunkInfo(offset, h.StoredLength, h.RawLength, h.FirstTick, h.TickCount, h.LastTick));
                    prevLast = h.LastTick;
                    break;
                case FrameKind.Meta:
                    Meta = Decode(ReadPayload(offset, h, verify: true), offset, (ref MessagePackReader r) => RecordCodec.ReadMeta(ref r));
                    break;
                case FrameKind.Footer:
                    // A footer with a damaged trailer: the index is there but cannot be found from the end.
                    throw new ReplayFormatException(Length - ReplayFormat.TrailerSize, "the trailer after the footer index is missing or corrupt");
                default:
                    throw new ReplayFormatException(offset, $"unexpected {h.Kind} frame");
            }
            offset = end;
        }
    }

    /// <summary>Reads, checks and decodes chunk <paramref name="index"/>. Recently read chunks are cached.</summary>
    public IReadOnlyList<TickRecord> ReadChunk(int index)
    {
        if ((uint)index >= (uint)_chunks.Count) throw new ArgumentOutOfRangeException(nameof(index));
        lock (_cacheLock)
        {
            for (var n = _cache.First; n is not null; n = n.Next)
                if (n.Value.Index == index) { _cache.Remove(n); _cache.AddFirst(n); return n.Value.Ticks; }
        }
        var info = _chunks[index];
        if (info.Offset + ReplayFormat.FrameHeaderSize > Length)
            throw new ReplayFormatException(info.Offset, "file was cut short inside a frame header", truncated: true);
        Span<byte> hb = stackalloc byte[ReplayFormat.FrameHeaderSize];
        ReadExactly(hb, info.Offset);
        var h = FrameHeader.Read(hb, info.Offset);
        if (h.Kind != FrameKind.Chunk || h.FirstTick != info.FirstTick || h.TickCount != info.TickCount)
            throw new ReplayFormatException(info.Offset, "chunk frame does not match the index");
        var (buffer, length) = ReadPayloadPooled(info.Offset, h, verify: true);
        TickRecord[] ticks;
        try
        {
            ticks = Decode(new ReadOnlyMemory<byte>(buffer, 0, length), info.Offset, (ref MessagePackReader r) =>
            {
                int n = r.ReadArrayHeader();
                if (n != info.TickCount) throw new InvalidDataException($"chunk holds {n} ticks, its header says {info.TickCount}");
                var list = new TickRecord[n];
                long prev = long.MinValue;
                var context = SchemaVersion >= 2 ? new ChunkContext() : null;
                for (int i = 0; i < n; i++)
                {
                    list[i] = RecordCodec.ReadTick(ref r, SchemaVersion, context);
                    if (list[i].Tick <= prev) throw new InvalidDataException($"tick {list[i].Tick} follows tick {prev}");
                    prev = list[i].Tick;
                }
                if (n > 0 && (!list[0].Keyframe || list[0].Tick != info.FirstTick || list[^1].Tick != info.LastTick))
                    throw new InvalidDataException("chunk does not start with a keyframe at its first tick");
                return list;
            });
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
        lock (_cacheLock)
        {
            _cache.AddFirst((index, ticks));
            while (_cache.Count > CacheSize) _cache.RemoveLast();
        }
        return ticks;
    }

    /// <summary>The index of the chunk that holds <paramref name="tick"/> (or the last one starting before it); -1 when the replay is empty or the tick is before the first.</summary>
    public int FindChunk(long tick)
    {
        int lo = 0, hi = _chunks.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_chunks[mid].FirstTick <= tick) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    /// <summary>Every tick record, in order, loading chunks one at a time.</summary>
    public IEnumerable<TickRecord> Ticks()
    {
        for (int i = 0; i < _chunks.Count; i++)
            foreach (var t in ReadChunk(i)) yield return t;
    }

    /// <summary>
    /// Checks every frame's checksums from the first byte to the last, and that chunks decode. Throws
    /// <see cref="ReplayFormatException"/> at the first problem; for a file that was cut short, throws its truncation
    /// after checking everything before it.
    /// </summary>
    public VerifyResult Verify(bool decode = true)
    {
        long offset = ReplayFormat.PreambleSize;
        long end = IsComplete ? Length - ReplayFormat.TrailerSize : Truncation!.Offset;
        int frames = 0;
        Span<byte> hb = stackalloc byte[ReplayFormat.FrameHeaderSize];
        while (offset < end)
        {
            if (end - offset < ReplayFormat.FrameHeaderSize) throw new ReplayFormatException(offset, "stray bytes between frames");
            ReadExactly(hb, offset);
            var h = FrameHeader.Read(hb, offset);
            if (offset + ReplayFormat.FrameHeaderSize + h.StoredLength > end) throw new ReplayFormatException(offset, "frame runs past the end of the frames");
            System.Buffers.ArrayPool<byte>.Shared.Return(ReadPayloadPooled(offset, h, verify: true).Buffer);
            frames++;
            offset += ReplayFormat.FrameHeaderSize + h.StoredLength;
        }
        if (decode) for (int i = 0; i < _chunks.Count; i++) ReadChunk(i);
        if (Truncation is not null) throw Truncation;
        return new VerifyResult(frames, _chunks.Count, TickCount, Length);
    }

    private (FrameHeader Header, byte[] Payload) ReadFrame(long offset, bool verify)
    {
        if (offset + ReplayFormat.FrameHeaderSize > Length)
            throw new ReplayFormatException(offset, "file was cut short inside a frame header", truncated: true);
        Span<byte> hb = stackalloc byte[ReplayFormat.FrameHeaderSize];
        ReadExactly(hb, offset);
        var h = FrameHeader.Read(hb, offset);
        return (h, ReadPayload(offset, h, verify));
    }

    private byte[] ReadPayload(long offset, FrameHeader h, bool verify)
    {
        var (buffer, length) = ReadPayloadPooled(offset, h, verify);
        try { return buffer.AsSpan(0, length).ToArray(); }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>
    /// Reads, checks and decompresses a payload into a buffer rented from the shared pool (return it when done):
    /// chunks are around a megabyte, and fresh arrays that size would each land on the large-object heap.
    /// </summary>
    private (byte[] Buffer, int Length) ReadPayloadPooled(long offset, FrameHeader h, bool verify)
    {
        var pool = System.Buffers.ArrayPool<byte>.Shared;
        long at = offset + ReplayFormat.FrameHeaderSize;
        if (at + h.StoredLength > Length)
            throw new ReplayFormatException(offset, $"file was cut short: the frame needs {h.StoredLength} payload bytes, {Length - at} remain", truncated: true);
        var stored = pool.Rent(h.StoredLength); // bounded by MaxStoredLength and the file size
        try
        {
            var storedSpan = stored.AsSpan(0, h.StoredLength);
            ReadExactly(storedSpan, at);
            if (verify && Crc32C.Compute(storedSpan) != h.PayloadCrc)
                throw new ReplayFormatException(offset, $"{h.Kind} frame payload checksum mismatch (corrupt data in bytes {at}..{at + h.StoredLength})");
            if (h.Codec == FrameCodec.None)
            {
                var plain = stored;
                stored = null!; // ownership moves to the caller
                return (plain, h.StoredLength);
            }
            var raw = pool.Rent(Math.Max(1, h.RawLength)); // bounded by MaxRawLength and 255x the stored length
            try
            {
                if (h.Codec == FrameCodec.Lz4Blocks) Lz4Blocks.Decode(storedSpan, raw.AsSpan(0, h.RawLength), offset, h.Kind);
                else if (LZ4Codec.Decode(storedSpan, raw.AsSpan(0, h.RawLength)) != h.RawLength)
                    throw new ReplayFormatException(offset, $"{h.Kind} frame does not decompress to its stated {h.RawLength} bytes");
            }
            catch
            {
                pool.Return(raw);
                throw;
            }
            return (raw, h.RawLength);
        }
        finally
        {
            if (stored is not null) pool.Return(stored);
        }
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(_file, buffer[done..], offset + done);
            if (n <= 0) throw new ReplayFormatException(offset + done, "unexpected end of file", truncated: true);
            done += n;
        }
    }

    private delegate T DecodeBody<T>(ref MessagePackReader r);

    /// <summary>Decodes a payload; any malformed MessagePack becomes a <see cref="ReplayFormatException"/> at the frame.</summary>
    private static T Decode<T>(ReadOnlyMemory<byte> payload, long frameOffset, DecodeBody<T> body)
    {
        try
        {
            var r = new MessagePackReader(payload);
            return body(ref r);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or InvalidDataException
                                       or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new ReplayFormatException(frameOffset, $"malformed frame payload: {ex.Message}", inner: ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
