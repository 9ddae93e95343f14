using System.Globalization;
using System.Diagnostics;
using Sim.Engine;
using Sim.Environments;
using Sim.Replay;
using Sim.Systems.Demo;
using Sim.Systems.Search;

namespace Sim.Bench.Suites;

/// <summary>
/// <c>sim bench replay</c>: replay write and read throughput, size against JSONL, the cost of recording a tick, and
/// seeking in a large replay. Workloads: the <c>sim demo</c> particles (what is recorded today) and a synthetic
/// search workload (tree nodes with step text, rewards, metrics, episodes) shaped like what search systems will emit.
/// </summary>
public sealed class ReplaySuite : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "replay";

    /// <inheritdoc />
    public string Description => "Replay write/read MB/s, size vs JSONL, recording overhead, seek time in a large replay";

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"sim-bench-replay-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            RunIn(dir, report, quick, progress);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void RunIn(string dir, BenchReport report, bool quick, Action<double> progress)
    {
        int demoTicks = quick ? 300 : 1200;
        var config = new DemoConfig();

        // 1. Recording overhead, measured first, while the process holds nothing else: the later sections keep tens of
        //    MB of tick records alive, which makes every collection the recorded run causes dearer than in `sim run`.
        //    The main job: the search experiment of `sim run` (ContinuousRun.Build + SearchRecording.AddTo: 256 agents,
        //    MCTS on countdown; an 8-attempt budget where `sim run` defaults to 2), without and with recording, in
        //    blocks of four runs (see AbbaComparison). 600 ticks a run: a run sees three to five gen0 collections of
        //    25-90 ms each (the search trees and caches survive them), so how many it got moves its time by a tenth.
        //    The figure comes from fresh processes (BenchProcess, as BenchmarkDotNet isolates its benchmarks), each
        //    warmed up and then timed for 600 ticks: runs taking turns in one process inherit each other's heap and
        //    collector budgets, so that two identical runs there alternate by a tenth, and the recorded run's pools
        //    and buffers change the heap the unrecorded one runs in. The same comparison in this process is reported
        //    beside it. Without a `sim` executable to start (a test host), only this process is measured.
        int searchTicks = 600; // --quick runs fewer blocks, not shorter runs: 200-tick runs read 0.84-1.57
        var onCaller = new ReplayWriterOptions { EncodeOnCaller = true };
        string runPath = Path.Combine(dir, "run.replay");
        bool fresh = BenchProcess.Command is not null;
        AbbaComparison? search = null, searchOnCaller = null;
        if (fresh)
        {
            // One discarded start first: the first process also pays for reading the program's files from disk.
            BenchProcess.Run("replay.search", ["none", "100"]);
            Func<RunTime> Job(string variant) => () => BenchProcess.Run("replay.search", [variant, searchTicks.ToString(CultureInfo.InvariantCulture)]);
            search = AbbaComparison.Run(Job("none"), Job("file"), quick ? 1 : 12, warmupBlocks: 0);
            progress(0.15);
            searchOnCaller = AbbaComparison.Run(Job("none"), Job("caller"), quick ? 1 : 2, warmupBlocks: 0);
            progress(0.2);
        }
        // Every variant's code first reaches its final JIT tier (the compiler thread competes for a core).
        Measure.SettleJit(() =>
        {
            RunSearch(searchTicks, null);
            RunSearch(searchTicks, runPath);
            if (!fresh) RunSearch(searchTicks, runPath, onCaller);
        }, leastSeconds: 3, quietSeconds: 1, capSeconds: quick ? 8 : 15);
        Func<RunTime> searchWithout = () => Time(() => RunSearch(searchTicks, null));
        var inProcess = AbbaComparison.Run(searchWithout, () => Time(() => RunSearch(searchTicks, runPath)),
            fresh ? (quick ? 1 : 8) : (quick ? 2 : 16), warmupBlocks: 1);
        search ??= inProcess;
        searchOnCaller ??= AbbaComparison.Run(searchWithout, () => Time(() => RunSearch(searchTicks, runPath, onCaller)), quick ? 1 : 3, warmupBlocks: 0);
        progress(0.27);

        // 1b. The same on the `sim demo` particles: a stress case, not a workload. Every one of 4,096 entities moves
        //     every tick at about 10 ns of simulation each, so the recorder has the whole state to capture, predict,
        //     compress and checksum each tick, and that costs more than the tick itself (see docs/replay-format.md).
        int overheadTicks = quick ? 600 : 2400;
        string demoOut = Path.Combine(dir, "o.replay");
        Func<RunTime> demoWithout = () => Time(() => RunDemo(config, overheadTicks, null));
        var demoCost = AbbaComparison.Run(demoWithout, () => Time(() => RunDemo(config, overheadTicks, demoOut)), quick ? 1 : 3, warmupBlocks: 1);
        var demoOnCaller = AbbaComparison.Run(demoWithout, () => Time(() => RunDemo(config, overheadTicks, demoOut, onCaller)), quick ? 1 : 2, warmupBlocks: 0);
        progress(0.35);

        // 2. Record the demo once; keep its tick records in memory as the write workload.
        string demoPath = Path.Combine(dir, "demo.replay");
        RunDemo(config, demoTicks, demoPath);
        List<TickRecord> demo;
        ReplayHeader demoHeader;
        using (var r = ReplayReader.Open(demoPath)) { demo = r.Ticks().ToList(); demoHeader = r.Header; }
        progress(0.4);

        // 3. Write and read throughput (bytes of replay file per second), best of several.
        int repeats = quick ? 3 : 7;
        string wPath = Path.Combine(dir, "w.replay");
        double writeS = Measure.BestSeconds(() => WriteAll(wPath, demoHeader, demo), repeats);
        long bytes = new FileInfo(wPath).Length;
        double readS = Measure.BestSeconds(() => ReadAll(wPath), repeats);
        progress(0.5);

        // 4. Size against the same records as JSONL.
        long jsonl = JsonlBytes(demo);
        var synthetic = SearchWorkload.Generate(quick ? 400 : 1200);
        string sPath = Path.Combine(dir, "s.replay");
        WriteAll(sPath, SearchWorkload.Header, synthetic);
        long sBytes = new FileInfo(sPath).Length;
        long sJsonl = JsonlBytes(synthetic);
        double sWriteS = Measure.BestSeconds(() => WriteAll(sPath, SearchWorkload.Header, synthetic), repeats);
        double sReadS = Measure.BestSeconds(() => ReadAll(sPath), repeats);
        progress(0.6);

        // 5. Seek: a large replay made of the demo records repeated, then random ticks through a fresh reader.
        long target = quick ? 256L << 20 : 1L << 30;
        string bigPath = Path.Combine(dir, "big.replay");
        WriteLarge(bigPath, demoHeader, demo, target);
        long bigBytes = new FileInfo(bigPath).Length;
        progress(0.9);
        var rng = new Rng(12345);
        var seeks = new List<double>();
        using (var r = ReplayReader.Open(bigPath))
        {
            var cursor = new ReplayCursor(r);
            for (int i = 0; i < (quick ? 10 : 30); i++)
            {
                long tick = r.FirstTick + (long)(rng.NextDouble() * (r.LastTick - r.FirstTick));
                long t0 = Stopwatch.GetTimestamp();
                cursor.Seek(tick);
                seeks.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }
        long o0 = Stopwatch.GetTimestamp();
        using (var r = ReplayReader.Open(bigPath)) new ReplayCursor(r).Seek(r.LastTick / 2);
        double openSeek = Stopwatch.GetElapsedTime(o0).TotalMilliseconds;
        seeks.Sort();
        progress(0.95);

        // 6. Viewer: one frame with a 10,000-node search tree, drawn by the same code as the window, on Skia's
        //    raster backend (the window test machine has only software GL; its figure comes from `sim view --frames`).
        string treePath = Path.Combine(dir, "tree.replay");
        SearchWorkload.Record(treePath, 70, agents: 1, maxGrowth: 300, episodeNodes: 100_000);
        double frameMs;
        int visible;
        using (var r = ReplayReader.Open(treePath))
        {
            var model = new Sim.Viewer.ViewerModel(r);
            model.Seek(r.LastTick);
            using var renderer = new Sim.Viewer.FrameRenderer();
            frameMs = 1000 * Measure.BestSeconds(() => Sim.Viewer.HeadlessRenderer.Render(model, 1280, 800, renderer).Dispose(), quick ? 10 : 30, warmup: 3);
            visible = renderer.NodeHits.Count;
        }
        progress(1);

        report.Add("replay.write_mb_per_s", bytes / 1e6 / writeS, "MB/s", $"demo workload, {demoTicks} ticks, {bytes / 1e6:F1} MB, background writer, LZ4");
        report.Add("replay.write_ticks_per_s", demo.Count / writeS, "ticks/s", "the same, in demo ticks (independent of how well the file compresses)");
        report.Add("replay.read_mb_per_s", bytes / 1e6 / readS, "MB/s", "open, verify checksums, decompress, decode every tick");
        report.Add("replay.read_ticks_per_s", demo.Count / readS, "ticks/s", "the same, in demo ticks");
        report.Add("replay.bytes_vs_jsonl", (double)bytes / jsonl, "x", $"demo particles; target <= 0.25; JSONL {jsonl / 1e6:F1} MB");
        report.Add("replay.search.bytes_vs_jsonl", (double)sBytes / sJsonl, "x", $"synthetic search trees; JSONL {sJsonl / 1e6:F1} MB");
        report.Add("replay.search.write_mb_per_s", sBytes / 1e6 / sWriteS, "MB/s", "synthetic search workload");
        report.Add("replay.search.read_mb_per_s", sBytes / 1e6 / sReadS, "MB/s", "synthetic search workload");
        int runs = search.Baseline.Count;
        double msPerTick = search.Baseline.Average(r => r.Wall) * 1e3 / searchTicks;
        string where = fresh ? "each run in a fresh process, warmed up, then timed" : "in this process";
        report.Add("replay.record_overhead", search.Ratio, "x", $"sim run (mcts, countdown, 256 agents, attempts:8): mean tick time with recording / without, over {runs} runs of each in ABBA/BAAB blocks, {where}, {searchTicks} ticks a run, {msPerTick:F2} ms/tick without; target <= 1.05");
        report.Add("replay.record_overhead_in_process", inProcess.Ratio, "x", $"the same, the runs taking turns in this process ({inProcess.Baseline.Count} of each), where each run inherits the heap and collector budgets of the one before");
        report.Add("replay.record_overhead_block_median", search.BlockMedian, "x", "the median of the blocks' own ratios (each block: two runs of each variant)");
        report.Add("replay.record_overhead_spread", search.BlockSpread, "x", "the blocks' ratios between the first and third quartile (their difference): how noisy the figure above is");
        report.Add("replay.record_overhead_best", search.BestRatio, "x", "best wall time with recording / best without");
        report.Add("replay.record_cpu_overhead", search.CpuRatio, "x", "sim run process CPU time with/without recording, mean over the runs (all threads, the background writer included)");
        report.Add("replay.record_gc_gen0", AbbaComparison.BestOf(search.Variant).Gen0, "count", $"gen0 collections while recording {searchTicks} sim run ticks, fastest run ({AbbaComparison.BestOf(search.Baseline).Gen0} without)");
        report.Add("replay.record_overhead_encode_on_caller", searchOnCaller.Ratio, "x", $"the same with ReplayWriterOptions.EncodeOnCaller (ticks encoded on the sim thread, chunks compressed and written in the background), {searchOnCaller.Baseline.Count} runs of each, {where}");
        report.Add("replay.demo.record_overhead", demoCost.Ratio, "x", $"stress case: sim demo, every entity changes every tick; mean tick time with/without recording, {demoCost.Baseline.Count} runs of each, {overheadTicks} ticks, {demoCost.Baseline.Average(r => r.Wall) * 1e6 / overheadTicks:F0} us/tick without");
        report.Add("replay.demo.record_cpu_overhead", demoCost.CpuRatio, "x", "demo process CPU time with/without recording, mean over the runs");
        report.Add("replay.demo.record_gc_gen0", AbbaComparison.BestOf(demoCost.Variant).Gen0, "count", $"gen0 collections while recording {overheadTicks} demo ticks, fastest run ({AbbaComparison.BestOf(demoCost.Baseline).Gen0} without)");
        report.Add("replay.demo.record_overhead_encode_on_caller", demoOnCaller.Ratio, "x", "the demo with ReplayWriterOptions.EncodeOnCaller");
        report.Add("replay.seek_ms", seeks[seeks.Count / 2], "ms", $"median random seek in a {bigBytes / 1e9:F2} GB replay; target <= 20");
        report.Add("replay.seek_max_ms", seeks[^1], "ms", "slowest of the random seeks");
        report.Add("replay.open_and_seek_ms", openSeek, "ms", "open the large replay cold and seek to its middle");
        report.Add("replay.viewer.frame_ms_10k_nodes", frameMs, "ms", $"1280x800 frame, {visible} visible tree nodes, Skia raster (best of runs)");
        report.Add("replay.viewer.fps_10k_nodes", 1000 / frameMs, "fps", "target >= 30");
    }

    private static void RunDemo(DemoConfig config, int ticks, string? path, ReplayWriterOptions? options = null)
    {
        using var world = World.Create(1);
        var pipeline = DemoSystems.Build(world, config);
        using var writer = path is null ? null : ReplayWriter.Create(path, DemoRecording.Header(1, config, ticks, "bench"), options);
        if (writer is not null) DemoRecording.AddTo(pipeline, writer);
        pipeline.Run(ticks);
    }

    /// <summary>The default <c>sim run</c> experiment, recorded to <paramref name="path"/> when it is not null.</summary>
    private static void RunSearch(int ticks, string? path, ReplayWriterOptions? options = null)
    {
        var (world, pipeline, writer) = BuildSearch(ticks, path, options);
        using (world)
        using (writer)
            pipeline.Run(ticks);
    }

    /// <summary>
    /// The recorded-run workload (MCTS on countdown, 256 agents, an 8-attempt budget, seed 1), recording to
    /// <paramref name="path"/> when it is not null. The caller disposes the writer, then the world.
    /// </summary>
    private static (World World, Pipeline Pipeline, ReplayWriter? Writer) BuildSearch(int ticks, string? path, ReplayWriterOptions? options)
    {
        const ulong seed = 1;
        var env = EnvironmentRegistry.Default.Get("countdown");
        var spec = new ContinuousRunSpec(env, env.Difficulty.Default, PolicySpec.Parse("simulated"), ScorerSpec.Parse("simulated", seed),
            "mcts", null, 256, RunBudget.Parse("attempts:8"), seed);
        var world = World.Create(seed);
        try
        {
            var pipeline = ContinuousRun.Build(world, spec);
            var writer = path is null ? null : ReplayWriter.Create(path, SearchRecording.Header(spec, ticks, "bench"), options);
            if (writer is not null) SearchRecording.AddTo(pipeline, writer);
            return (world, pipeline, writer);
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Bench job <c>replay.search VARIANT TICKS</c> (<see cref="BenchJobs"/>), run in a fresh process: builds the
    /// recorded-run workload (<see cref="BuildSearch"/>) with no recording (<c>none</c>), the default writer (<c>file</c>)
    /// or <see cref="ReplayWriterOptions.EncodeOnCaller"/> (<c>caller</c>); runs it until the JIT has settled; collects
    /// the heap; and times the next TICKS ticks of the same run.
    /// <para>
    /// The writer is disposed after the timing: its last chunk and footer end a run once, they are not tick time. In
    /// the steady state the timed ticks pay for the background writer's backlog of warm-up ticks at their start as they
    /// leave their own at the end (at most the writer's queue, a few dozen ticks).
    /// </para>
    /// </summary>
    internal static RunTime SearchJob(IReadOnlyList<string> args)
    {
        if (args.Count != 2) throw new ArgumentException("replay.search takes VARIANT TICKS");
        var options = args[0] switch
        {
            "none" => null,
            "file" => new ReplayWriterOptions(),
            "caller" => new ReplayWriterOptions { EncodeOnCaller = true },
            _ => throw new ArgumentException($"unknown variant '{args[0]}': none, file or caller"),
        };
        if (!int.TryParse(args[1], out int ticks) || ticks < 1 || ticks > 100_000)
            throw new ArgumentException($"TICKS must be a whole number in 1..100000, not '{args[1]}'");

        string path = Path.Combine(Path.GetTempPath(), $"sim-bench-job-{Environment.ProcessId}.replay");
        try
        {
            var (world, pipeline, writer) = BuildSearch(ticks, args[0] == "none" ? null : path, options);
            using (world)
            using (writer)
            {
                // Warm-up in steps of 100 ticks: at least 600 (the writer's per-chunk code is called once every 12
                // ticks, and tiered compilation replaces a method after 30 calls), then until two steps in a row
                // compile nothing.
                long methods = System.Runtime.JitInfo.GetCompiledMethodCount();
                for (int warm = 0, quiet = 0; warm < 2400 && (warm < 600 || quiet < 2); warm += 100)
                {
                    pipeline.Run(100);
                    long now = System.Runtime.JitInfo.GetCompiledMethodCount();
                    quiet = now == methods ? quiet + 1 : 0;
                    methods = now;
                }
                return Time(() => pipeline.Run(ticks));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteAll(string path, ReplayHeader header, List<TickRecord> ticks)
    {
        using var w = ReplayWriter.Create(path, header);
        foreach (var t in ticks) w.Append(Rekey(t, t.Tick, w.NeedsKeyframe, null));
    }

    private static void ReadAll(string path)
    {
        using var r = ReplayReader.Open(path);
        long n = 0;
        foreach (var t in r.Ticks()) n += t.Components.Count;
        GC.KeepAlive(n);
    }

    private static long JsonlBytes(List<TickRecord> ticks)
    {
        using var counter = new CountingStream();
        ReplayExport.WriteTicksJsonl(ticks, counter);
        return counter.Length;
    }

    /// <summary>Writes the records over and over, ticks shifted, until the file reaches <paramref name="target"/> bytes.</summary>
    private static void WriteLarge(string path, ReplayHeader header, List<TickRecord> ticks, long target)
    {
        using var w = ReplayWriter.Create(path, header);
        long shift = 0, written = 0;
        long perPass = ticks.Sum(t => (long)t.EstimateSize());
        while (written < target)
        {
            // Keyframes must start chunks: a delta that lands on a chunk boundary is sent as the keyframe of its chunk.
            // Only the demo's keyframes hold full state; here the content matters less than the layout and size.
            foreach (var t in ticks) w.Append(Rekey(t, t.Tick + shift, w.NeedsKeyframe, null));
            shift += ticks[^1].Tick;
            written += perPass;
        }
    }

    private static TickRecord Rekey(TickRecord t, long tick, bool keyframe, object? _)
    {
        if (t.Tick == tick && t.Keyframe == keyframe) return t;
        var c = new TickRecord { Tick = tick, Keyframe = keyframe };
        c.Created.AddRange(t.Created); c.Destroyed.AddRange(t.Destroyed); c.Components.AddRange(t.Components);
        c.Rewards.AddRange(t.Rewards); c.TreeNodes.AddRange(t.TreeNodes); c.TreesCleared.AddRange(t.TreesCleared);
        c.Metrics.AddRange(t.Metrics); c.Episodes.AddRange(t.Episodes);
        return c;
    }

    /// <summary>
    /// Runs <paramref name="run"/> once from a collected heap, so that it does not pay for the garbage of the run before
    /// it (a blocking gen2 collection lands on whichever run happens to trigger it), and returns what it cost.
    /// </summary>
    private static RunTime Time(Action run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        int gc0 = GC.CollectionCount(0);
        long t0 = Stopwatch.GetTimestamp();
        run();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        process.Refresh();
        return new RunTime(wall, (process.TotalProcessorTime - cpu0).TotalSeconds, GC.CollectionCount(0) - gc0);
    }

    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _n;
        public override long Position { get => _n; set => throw new NotSupportedException(); }
        private long _n;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _n += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _n += buffer.Length;
    }
}
