using NUnit.Framework;
using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay.Format;

/// <summary>
/// Schema version 5's chunk codec (<see cref="Lz4Blocks"/>): linked LZ4 blocks round-trip at every length, later
/// blocks refer back to earlier ones, blocks LZ4 cannot shrink are stored raw, and a malformed block list is a clear error, never an exception of another
/// kind or a read past the payload.
/// </summary>
public class Lz4BlocksTests
{
    private const int Block = ReplayFormat.Lz4BlockSize;

    /// <summary>Half text-like (compressible), half random (not), so both kinds of block occur.</summary>
    private static byte[] Data(int length, int seed = 1)
    {
        var rng = new Random(seed);
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (i / Block) % 2 == 0 ? (byte)"19 + 16 = 35\n"[i % 13] : (byte)rng.Next(256);
        return data;
    }

    private static byte[] Encode(byte[] raw, out int length)
    {
        var dst = new byte[Lz4Blocks.MaxEncodedLength(raw.Length)];
        length = Lz4Blocks.Encode(raw, dst, yieldBetweenBlocks: true);
        return dst;
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(Block - 1)]
    [TestCase(Block)]
    [TestCase(Block + 1)]
    [TestCase(5 * Block + 123)]
    public void RoundTripsEveryLength(int length)
    {
        var raw = Data(length);
        var stored = Encode(raw, out int n);
        Assert.That(n, Is.LessThanOrEqualTo(Lz4Blocks.MaxEncodedLength(length)));
        var back = new byte[length];
        Lz4Blocks.Decode(stored.AsSpan(0, n), back, 0, FrameKind.Chunk);
        Assert.That(back, Is.EqualTo(raw));
    }

    [Test]
    public void StoresIncompressibleBlocksRawAndShrinksTheRest()
    {
        var raw = Data(2 * Block);
        var stored = Encode(raw, out int n);
        uint first = BitConverter.ToUInt32(stored, 0);
        Assert.That(first & 0x8000_0000u, Is.Zero, "the text-like block is compressed");
        int second = 4 + (int)first;
        Assert.That(BitConverter.ToUInt32(stored, second), Is.EqualTo(0x8000_0000u | Block), "the random block is stored raw");
        Assert.That(n, Is.EqualTo(second + 4 + Block));
    }

    [Test]
    public void LaterBlocksReferToTheBytesBeforeThem()
    {
        // Block 2 repeats block 1, which is random: only a stream of linked blocks can shrink it.
        var raw = Data(3 * Block);
        raw.AsSpan(Block, Block).CopyTo(raw.AsSpan(2 * Block));
        var stored = Encode(raw, out int n);
        int second = 4 + (int)(BitConverter.ToUInt32(stored, 0) & 0x7FFF_FFFF);
        int third = second + 4 + (int)(BitConverter.ToUInt32(stored, second) & 0x7FFF_FFFF);
        Assert.That(BitConverter.ToUInt32(stored, third), Is.LessThan(Block / 50));
        var back = new byte[raw.Length];
        Lz4Blocks.Decode(stored.AsSpan(0, n), back, 0, FrameKind.Chunk);
        Assert.That(back, Is.EqualTo(raw));
    }

    [Test]
    public void MalformedBlockListsAreClearErrors()
    {
        var raw = Data(2 * Block + 100);
        var stored = Encode(raw, out int n);
        var good = stored.AsSpan(0, n).ToArray();
        int second = 4 + (int)(BitConverter.ToUInt32(good, 0) & 0x7FFF_FFFF);

        void Fails(byte[] payload, int rawLength, string message) =>
            Assert.That(() => Lz4Blocks.Decode(payload, new byte[rawLength], 1234, FrameKind.Chunk),
                Throws.TypeOf<ReplayFormatException>().With.Message.Contain(message).And.Message.Contain("1234"));

        Fails(good[..2], raw.Length, "ends before its LZ4 block 0");
        Fails(good[..(second + 10)], raw.Length, "claims");
        Fails([.. good, 0], raw.Length, "after its last LZ4 block");
        Fails(good, raw.Length + Block, "LZ4 block 2 does not decompress"); // the payload claims more raw bytes than it holds
        var shortRaw = (byte[])good.Clone();
        BitConverter.TryWriteBytes(shortRaw.AsSpan(second), 0x8000_0000u | (Block - 1));
        Fails(shortRaw, raw.Length, "raw block 1 holds");
        var garbled = (byte[])good.Clone();
        garbled[4] ^= 0xFF; garbled[5] ^= 0xFF; garbled[6] ^= 0xFF;
        Fails(garbled, raw.Length, "LZ4 block 0");
    }

    [Test]
    public void Version5ChunksUseBlocksAndVersion4ChunksOneBlock()
    {
        var ticks = Ticks(40, chunkTicks: 40);
        foreach (var (version, codec) in new[] { (5, FrameCodec.Lz4Blocks), (4, FrameCodec.Lz4) })
        {
            string path = Write(ticks, new ReplayWriterOptions { ChunkTicks = 40, SchemaVersion = version }, Header(version));
            try
            {
                var bytes = File.ReadAllBytes(path);
                // The first frame after the header frame is the chunk; byte 2 of a frame header is its codec.
                int header = ReplayFormat.PreambleSize;
                int chunk = header + ReplayFormat.FrameHeaderSize + BitConverter.ToInt32(bytes, header + 4);
                Assert.That((FrameCodec)bytes[chunk + 2], Is.EqualTo(codec), $"version {version}");
                using var r = ReplayReader.Open(path);
                Assert.That(r.Verify().Chunks, Is.EqualTo(1));
                Assert.That(r.Ticks().Select(t => t.Tick), Is.EqualTo(ticks.Select(t => t.Tick)));
            }
            finally { File.Delete(path); }
        }
    }
}
