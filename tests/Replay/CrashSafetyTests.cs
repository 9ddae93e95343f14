using System.Diagnostics;
using NUnit.Framework;
using Sim.Replay;
using static Sim.Tests.Replay.ReplayTestFiles;

namespace Sim.Tests.Replay;

/// <summary>kill -9 in the middle of a recording leaves a replay that reads up to its last complete chunk.</summary>
public class CrashSafetyTests
{
    [Test]
    public void KilledRecordingReadsUpToTheLastCompleteChunk()
    {
        string sim = Path.Combine(AppContext.BaseDirectory, "sim.dll");
        Assert.That(File.Exists(sim), Is.True, $"sim.dll not next to the tests at {sim}");
        string path = TempPath("crash");
        var psi = new ProcessStartInfo("dotnet", [sim, "demo", "--ticks", "1000000", "--out", path])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        try
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(60) && (!File.Exists(path) || new FileInfo(path).Length < 6_000_000) && !p.HasExited)
                Thread.Sleep(20);
            Assert.That(p.HasExited, Is.False, "the demo ended before it could be killed");
            p.Kill(); // SIGKILL on Linux: no finally blocks, no footer
            p.WaitForExit();
            using var r = ReplayReader.Open(path);
            Assert.That(r.IsComplete, Is.False);
            Assert.That(r.Truncation, Is.Not.Null);
            Assert.That(r.Chunks.Count, Is.GreaterThanOrEqualTo(2));
            // Every complete chunk decodes, and ticks run without a gap from the first.
            var ticks = r.Ticks().Select(t => t.Tick).ToList();
            Assert.That(ticks, Is.EqualTo(Enumerable.Range(1, ticks.Count).Select(i => (long)i)));
            var (code, output, err) = RunSim("replay", "info", path);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Does.Contain("cut short"));
            Assert.That(err, Does.Contain("cut short").And.Match(@"offset \d+"));
        }
        finally
        {
            if (!p.HasExited) p.Kill();
            File.Delete(path);
        }
    }
}
