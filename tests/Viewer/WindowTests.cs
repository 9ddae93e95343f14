using System.Diagnostics;
using NUnit.Framework;
using Sim.Bench.Suites;
using SkiaSharp;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Viewer;

/// <summary>Opens the real GLFW window under Xvfb (Mesa's software GL), draws frames and checks a framebuffer screenshot.</summary>
public class WindowTests
{
    [TestCase("gl")]
    [TestCase("raster")]
    public void OpensWindowUnderXvfbAndScreenshotIsNotBlank(string backend)
    {
        if (!File.Exists("/usr/bin/Xvfb")) Assert.Ignore("Xvfb is not installed (.ci/apt-packages.txt lists xvfb); the window test needs an X server");
        string replay = TempPath("win");
        string png = Path.ChangeExtension(replay, ".png");
        string sim = Path.Combine(AppContext.BaseDirectory, "sim.dll");
        // -displayfd: Xvfb picks a free display number and writes it to stdout once it is ready to accept clients.
        using var xvfb = Process.Start(new ProcessStartInfo("/usr/bin/Xvfb", ["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            SearchWorkload.Record(replay, 60, agents: 2);
            var line = xvfb.StandardOutput.ReadLineAsync();
            Assert.That(line.Wait(TimeSpan.FromSeconds(20)) && int.TryParse(line.Result, out _), Is.True, "Xvfb did not start");
            string display = line.Result!.Trim();
            var psi = new ProcessStartInfo("dotnet", [sim, "view", replay, "--frames", "20", "--screenshot", png, "--size", "1000x700", "--play", "--json", "--backend", backend])
                { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["DISPLAY"] = $":{display}";
            psi.Environment["LIBGL_ALWAYS_SOFTWARE"] = "1";
            using var view = Process.Start(psi)!;
            string stdout = view.StandardOutput.ReadToEnd(), stderr = view.StandardError.ReadToEnd();
            Assert.That(view.WaitForExit(60_000), Is.True, "viewer hung");
            Assert.That(view.ExitCode, Is.EqualTo(0), stderr + stdout);
            Assert.That(stdout, Does.Contain("\"frames\":20"));
            using var bmp = SKBitmap.Decode(png);
            Assert.That((bmp.Width, bmp.Height), Is.EqualTo((1000, 700)));
            var colours = new HashSet<SKColor>();
            for (int y = 0; y < bmp.Height; y += 4) for (int x = 0; x < bmp.Width; x += 4) colours.Add(bmp.GetPixel(x, y));
            Assert.That(colours.Count, Is.GreaterThan(20), "window screenshot looks blank");
            Assert.That(bmp.GetPixel(2, 350), Is.EqualTo(Sim.Viewer.FrameRenderer.Background));
        }
        finally
        {
            if (!xvfb.HasExited) { xvfb.Kill(); xvfb.WaitForExit(); }
            File.Delete(replay);
            File.Delete(png);
        }
    }
}
