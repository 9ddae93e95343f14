using System.Buffers.Binary;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Engine;

namespace Sim.Replay;

/// <summary>
/// The <see cref="FrameCodec.Lz4Blocks"/> payload (schema version 5): the raw bytes cut into blocks of
/// <see cref="ReplayFormat.Lz4BlockSize"/> (the last one shorter), compressed in order as one LZ4 stream of linked
/// blocks: each block may refer back into the 64 KiB of raw bytes before it, as LZ4's streaming mode does.
/// <code>
/// payload := block*                     (as many as the raw length needs)
/// block   := u32 header, then header &amp; 0x7FFFFFFF bytes
///            header bit 31 set: the bytes are the block's raw bytes (LZ4 did not shrink it); clear: an LZ4 block
///            whose dictionary is the raw bytes before it (up to 64 KiB)
/// </code>
/// Why blocks: compressing a megabyte chunk in one call kept the background writer on a core for two milliseconds at
/// a time, and on a virtual machine a simulation thread that yields its core (as .NET's thread pool does while it
/// waits for work) could then wait for the writer's whole time slice; block by block, the writer yields between
/// blocks (<see cref="Encode"/>). Linked, the blocks compress as well as one block would.
/// </summary>
internal static class Lz4Blocks
{
    private const uint StoredRaw = 0x8000_0000u;
    private const int Window = 64 << 10; // LZ4's largest match offset

    /// <summary>The most bytes <see cref="Encode"/> writes for <paramref name="raw"/> raw bytes.</summary>
    public static int MaxEncodedLength(int raw)
    {
        int blocks = (raw + ReplayFormat.Lz4BlockSize - 1) / ReplayFormat.Lz4BlockSize;
        return raw + blocks * (4 + LZ4Codec.MaximumOutputSize(ReplayFormat.Lz4BlockSize) - ReplayFormat.Lz4BlockSize);
    }

    /// <summary>
    /// Compresses <paramref name="raw"/> into <paramref name="dst"/> (at least <see cref="MaxEncodedLength"/> bytes) and
    /// returns the bytes written. With <paramref name="yieldBetweenBlocks"/>, the calling thread offers its core to any
    /// other runnable thread after each block (<see cref="Thread.Yield"/>).
    /// </summary>
    public static unsafe int Encode(ReadOnlySpan<byte> raw, Span<byte> dst, bool yieldBetweenBlocks)
    {
        // The stream's state points into the raw bytes it has seen, so they stay pinned, in place, until the last block.
        // K4os exposes LZ4's streaming compressor (LZ4_compress_fast_continue) only as Engine.Pubternal; its output is
        // plain LZ4 blocks, which LZ4Codec.Decode reads with the bytes before each block as its dictionary.
        using var stream = new Pubternal.FastContext();
        int at = 0;
        fixed (byte* source = raw)
        fixed (byte* target = dst)
        {
            for (int pos = 0; pos < raw.Length; pos += ReplayFormat.Lz4BlockSize)
            {
                int length = Math.Min(ReplayFormat.Lz4BlockSize, raw.Length - pos);
                int room = LZ4Codec.MaximumOutputSize(length);
                if (dst.Length - at - 4 < room) throw new ArgumentException("the target is shorter than MaxEncodedLength", nameof(dst));
                int n = Pubternal.CompressFast(stream, source + pos, target + at + 4, length, room, 1);
                uint header;
                if (n > 0 && n < length) header = (uint)n;
                else
                {
                    // Stored as it is; the stream still counts it as history, and so does the reader, which has it raw.
                    raw.Slice(pos, length).CopyTo(dst.Slice(at + 4));
                    n = length;
                    header = StoredRaw | (uint)n;
                }
                BinaryPrimitives.WriteUInt32LittleEndian(dst[at..], header);
                at += 4 + n;
                if (yieldBetweenBlocks && pos + length < raw.Length) Thread.Yield();
            }
        }
        return at;
    }

    /// <summary>
    /// Decompresses <paramref name="stored"/> into exactly <paramref name="raw"/>; throws
    /// <see cref="ReplayFormatException"/> naming the frame at <paramref name="offset"/> on any inconsistency.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> stored, Span<byte> raw, long offset, FrameKind kind)
    {
        int at = 0, index = 0;
        for (int pos = 0; pos < raw.Length; pos += ReplayFormat.Lz4BlockSize, index++)
        {
            int length = Math.Min(ReplayFormat.Lz4BlockSize, raw.Length - pos);
            if (stored.Length - at < 4)
                throw new ReplayFormatException(offset, $"{kind} frame ends before its LZ4 block {index}");
            uint header = BinaryPrimitives.ReadUInt32LittleEndian(stored[at..]);
            at += 4;
            int n = (int)(header & ~StoredRaw);
            if (n > stored.Length - at)
                throw new ReplayFormatException(offset, $"{kind} frame's LZ4 block {index} claims {n} bytes, {stored.Length - at} remain");
            var body = stored.Slice(at, n);
            var target = raw.Slice(pos, length);
            if ((header & StoredRaw) != 0)
            {
                if (n != length) throw new ReplayFormatException(offset, $"{kind} frame's raw block {index} holds {n} bytes, not {length}");
                body.CopyTo(target);
            }
            else
            {
                int start = Math.Max(0, pos - Window);
                if (LZ4Codec.Decode(body, target, raw[start..pos]) != length)
                    throw new ReplayFormatException(offset, $"{kind} frame's LZ4 block {index} does not decompress to {length} bytes");
            }
            at += n;
        }
        if (at != stored.Length)
            throw new ReplayFormatException(offset, $"{kind} frame holds {stored.Length - at} bytes after its last LZ4 block");
    }
}
