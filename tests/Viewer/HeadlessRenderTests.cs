using NUnit.Framework;
using Sim.Bench.Suites;
using Sim.Replay;
using Sim.Viewer;
using SkiaSharp;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Viewer;

public class HeadlessRenderTests
{
    private static string _search = null!;

    [OneTimeSetUp]
    public void Record()
    {
        _search = TempPath("view");
        SearchWorkload.Record(_search, 90, agents: 3);
    }

    [OneTimeTearDown]
    public void Clean() => File.Delete(_search);

    /// <summary>Colours present in a bitmap, coarsely, to tell a drawn frame from a blank one.</summary>
    private static int DistinctColours(SKBitmap b)
    {
        var set = new HashSet<uint>();
        for (int y = 0; y < b.Height; y += 3)
            for (int x = 0; x < b.Width; x += 3)
            {
                var c = b.GetPixel(x, y);
                set.Add((uint)(c.Red >> 3 << 10 | c.Green >> 3 << 5 | c.Blue >> 3));
            }
        return set.Count;
    }

    private static bool Near(SKColor a, SKColor b, int tol = 6) =>
        Math.Abs(a.Red - b.Red) <= tol && Math.Abs(a.Green - b.Green) <= tol && Math.Abs(a.Blue - b.Blue) <= tol;

    [Test]
    public void TreeNodesHaveTheirValueColours()
    {
        using var reader = ReplayReader.Open(_search);
        var model = new ViewerModel(reader);
        model.Seek(60);
        using var renderer = new FrameRenderer();
        using var bmp = HeadlessRenderer.Render(model, 1280, 800, renderer);
        Assert.That(DistinctColours(bmp), Is.GreaterThan(20), "frame looks blank");
        Assert.That(renderer.NodeHits, Has.Count.GreaterThan(5));
        var tree = model.Tree!;
        int checkedNodes = 0;
        foreach (var (id, x, y, radius) in renderer.NodeHits)
        {
            if (radius < 4 || !renderer.TreeRect.Contains(x, y)) continue;
            // Skip nodes another node overlaps.
            if (renderer.NodeHits.Any(o => o.Id != id && MathF.Abs(o.X - x) < o.Radius + radius && MathF.Abs(o.Y - y) < o.Radius + radius)) continue;
            var pixel = bmp.GetPixel((int)MathF.Round(x), (int)MathF.Round(y));
            Assert.That(Near(pixel, FrameRenderer.BucketColor(tree[id].Value)), Is.True,
                $"node {id} (value {tree[id].Value}) drawn as {pixel}, expected {FrameRenderer.BucketColor(tree[id].Value)}");
            checkedNodes++;
        }
        Assert.That(checkedNodes, Is.GreaterThan(3));
        // The background between panels keeps the background colour.
        Assert.That(Near(bmp.GetPixel(2, 400), FrameRenderer.Background, 1), Is.True);
    }

    [Test]
    public void ChosenPathIsHighlighted()
    {
        using var reader = ReplayReader.Open(_search);
        // Find a tick where the shown agent's tree has a chosen path (its episode just ended).
        long tick = reader.Ticks().First(t => t.TreeNodes.Any(n => n.Chosen)).Tick;
        var agent = reader.Ticks().First(t => t.Tick == tick).TreeNodes.First(n => n.Chosen).Agent;
        var model = new ViewerModel(reader) { SelectedAgent = agent };
        model.Seek(tick);
        using var renderer = new FrameRenderer();
        using var bmp = HeadlessRenderer.Render(model, 1280, 800, renderer);
        var chosen = renderer.NodeHits.Where(h => model.Tree![h.Id].Chosen).ToList();
        Assert.That(chosen, Is.Not.Empty);
        int gold = 0;
        foreach (var (_, x, y, r) in chosen)
            for (int dx = -(int)r - 4; dx <= r + 4; dx++)
                if (Near(bmp.GetPixel((int)x + dx, (int)y), FrameRenderer.ChosenColor, 40)) { gold++; break; }
        Assert.That(gold, Is.GreaterThanOrEqualTo(chosen.Count / 2), "chosen nodes carry a gold ring");
    }

    [Test]
    public void CliRendersDemoReplayToPng()
    {
        string replay = TempPath("demo");
        string png = Path.ChangeExtension(replay, ".png");
        try
        {
            Assert.That(RunSim("demo", "--ticks", "30", "--entities", "500", "--out", replay).Code, Is.EqualTo(0));
            var (code, _, err) = RunSim("view", replay, "--png", png, "--tick", "20", "--size", "800x500");
            Assert.That(code, Is.EqualTo(0), err);
            using var bmp = SKBitmap.Decode(png);
            Assert.That((bmp.Width, bmp.Height), Is.EqualTo((800, 500)));
            Assert.That(DistinctColours(bmp), Is.GreaterThan(10));
            // Particles are drawn in the world panel in their colour.
            int particles = 0;
            for (int y = 40; y < 280; y++) for (int x = 10; x < 330; x++) if (Near(bmp.GetPixel(x, y), new SKColor(110, 180, 255), 10)) particles++;
            Assert.That(particles, Is.GreaterThan(100));
            Assert.That(RunSim("view", replay, "--png", png, "--tick", "999").Code, Is.EqualTo(2));
            Assert.That(RunSim("view", replay, "--png", png, "--size", "huge").Code, Is.EqualTo(2));
        }
        finally { File.Delete(replay); File.Delete(png); }
    }

    [Test]
    public void CorruptChunkIsAnErrorNotACrash()
    {
        string bad = TempPath("corrupt");
        string png = Path.ChangeExtension(bad, ".png");
        try
        {
            long offset;
            using (var r = ReplayReader.Open(_search)) offset = r.Chunks[1].Offset + ReplayFormat.FrameHeaderSize + 10;
            var bytes = File.ReadAllBytes(_search);
            bytes[offset] ^= 0x40;
            File.WriteAllBytes(bad, bytes);
            using (var reader = ReplayReader.Open(bad))
            {
                var model = new ViewerModel(reader);
                model.Seek(reader.Chunks[1].FirstTick + 1);
                Assert.That(model.Error, Does.Contain("checksum"), "the window shows the error in its status bar");
                using var bmp = HeadlessRenderer.Render(model, 800, 500);
                Assert.That(DistinctColours(bmp), Is.GreaterThan(10));
            }
            long tick;
            using (var r = ReplayReader.Open(bad)) tick = r.Chunks[1].FirstTick;
            var (code, _, err) = RunSim("view", bad, "--png", png, "--tick", tick.ToString());
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err, Does.Contain("offset"));
        }
        finally { File.Delete(bad); File.Delete(png); }
    }

    [Test]
    public void RendersSearchReplayForDocs()
    {
        // Writes the PNG the docs describe (and keeps it in the test output folder for a look).
        string png = Path.Combine(TestContext.CurrentContext.WorkDirectory, "viewer-search.png");
        var (code, _, err) = RunSim("view", _search, "--png", png, "--tick", "60");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(10_000));
    }
}
