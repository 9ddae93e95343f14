using System.Diagnostics;
using Sim.Agents.Policies;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Countdown;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Bench.Suites;

/// <summary>
/// <c>sim bench agents</c>: the practical fp32 matmul peak of this machine through TorchSharp, training and sampling
/// throughput of the default small transformer (about 1M parameters, batch 64 × 64 tokens), its model-FLOPs
/// utilisation against that peak, process memory over training, and the simulated policy's proposal rate.
/// </summary>
public sealed class AgentsSuite : IBenchSuite
{
    /// <summary>Batch size of the training and sampling measurements (the targets are stated at 64 × 64).</summary>
    public const int Batch = 64;

    /// <summary>Tokens per training sequence.</summary>
    public const int SeqLen = 64;

    /// <inheritdoc />
    public string Name => "agents";

    /// <inheritdoc />
    public string Description => "TorchSharp matmul peak, transformer train/sample throughput and MFU, RSS over training, simulated policy steps/s";

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        if (report.Wants("agents.matmul_peak_gflops") || report.Wants("agents.transformer"))
            TorchFigures(report, quick, progress);
        progress(0.9);
        if (report.Wants("agents.simulated"))
            report.Add("agents.simulated.steps_per_s", Simulated(quick), "steps/s", $"K=4, {Environment.ProcessorCount} cores; target >= 5e6 on 2 cores");
        progress(1);
    }

    private static void TorchFigures(BenchReport report, bool quick, Action<double> progress)
    {
        var device = TorchDevice.Default;
        double peak = TorchBench.MatmulPeak(device, quick);
        report.Add("agents.matmul_peak_gflops", peak / 1e9, "GFLOP/s", $"fp32 matmul, {device.type}, {torch.get_num_threads()} threads");
        progress(0.1);

        var tok = SimTokenizer.CreateDefault();
        var cfg = new TransformerConfig(tok.VocabSize);
        using var lm = TransformerLm.Create(cfg, tok, 1, device);
        var (tokensPerS, rss, trimmed) = Train(lm, quick ? 120 : 1000, quick, progress);
        double flopsPerToken = cfg.TrainFlopsPerToken(SeqLen);
        report.Add("agents.transformer.parameters", cfg.Parameters, "params", $"{cfg.Layers} layers, width {cfg.Width}, {cfg.Heads} heads");
        report.Add("agents.transformer.train_tokens_per_s", tokensPerS, "tok/s", $"batch {Batch} x {SeqLen}, AdamW");
        report.Add("agents.transformer.train_mfu", tokensPerS * flopsPerToken / peak, "", "model FLOPs / matmul peak; target >= 0.35");
        foreach (var (step, mb) in rss) report.Add($"agents.transformer.rss_mb.step{step}", mb, "MB", "process RSS during training; target flat");
        foreach (var (step, mb) in trimmed)
            report.Add($"agents.transformer.rss_trimmed_mb.step{step}", mb, "MB", "RSS after malloc_trim: memory in use, without what the allocator keeps freed");
        progress(0.8);

        var (median, mean) = Sample(lm, quick);
        report.Add("agents.transformer.sample_tokens_per_s", median, "tok/s", $"batch {Batch}, KV cache, 48 new tokens per row, median call after the JIT settles; target >= 20000");
        report.Add("agents.transformer.sample_tokens_per_s_mean", mean, "tok/s", "the same over all timed calls together (slow calls weigh in)");
    }

    private static (double TokensPerS, List<(int Step, double Mb)> Rss, List<(int Step, double Mb)> Trimmed) Train(TransformerLm lm, int steps, bool quick, Action<double> progress)
    {
        using var optimizer = optim.AdamW(lm.Model.parameters(), lr: 1e-3, weight_decay: 0.01);
        var rng = new Rng(7);
        var ids = new long[Batch * (SeqLen + 1)];
        int[] marks = quick ? [20, 120] : [100, 1000];
        var rss = new List<(int, double)>();
        var trimmed = new List<(int, double)>();
        int warm = Math.Min(10, steps / 4);
        long t0 = 0;
        lm.Model.train();
        for (int step = 1; step <= steps; step++)
        {
            for (int i = 0; i < ids.Length; i++) ids[i] = 4 + rng.NextInt(lm.Config.VocabSize - 4);
            if (step == warm + 1) t0 = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            {
                var all = tensor(ids, [Batch, SeqLen + 1], device: lm.Device);
                var x = all.narrow(1, 0, SeqLen);
                var y = all.narrow(1, 1, SeqLen).reshape(-1);
                optimizer.zero_grad();
                var logits = lm.Model.forward(x);
                var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), y);
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            }
            if (marks.Contains(step))
            {
                GC.Collect();
                rss.Add((step, Process.GetCurrentProcess().WorkingSet64 / 1048576.0));
                // glibc keeps freed native memory in its arenas, so the raw RSS wanders by tens of MB from step to step
                // with no tensor alive; after malloc_trim it shows what is actually held (a leak would still grow).
                if (TryMallocTrim()) trimmed.Add((step, Process.GetCurrentProcess().WorkingSet64 / 1048576.0));
            }
            if (step % 10 == 0) progress(0.1 + 0.7 * step / steps);
        }
        lm.Model.eval();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return ((double)(steps - warm) * Batch * SeqLen / seconds, rss, trimmed);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static bool TryMallocTrim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { MallocTrim(0); return true; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Tokens per second of batched sampling calls: the median call's, and over all calls together.</summary>
    private static (double Median, double Mean) Sample(TransformerLm lm, bool quick)
    {
        // Prompts of 16 tokens; every row generates exactly MaxStepTokens tokens (the delimiter and end tokens are masked
        // out by sampling from a model whose steps never end early is not guaranteed, so count the tokens actually drawn).
        var rng = new Rng(11);
        var contexts = new List<int[]>();
        for (int i = 0; i < Batch; i++)
        {
            var c = new int[16];
            c[0] = lm.Tokenizer.BosId;
            for (int j = 1; j < 16; j++) c[j] = 4 + rng.NextInt(250);
            contexts.Add(c);
        }
        var settings = new SamplingSettings(Temperature: 1.0, MaxStepTokens: 48);
        var warm = new Rng(12);
        var (rates, overall) = TorchBench.RatesPerCall(() => lm.SampleSteps(contexts, settings, ref warm), quick ? 5 : 15, quick,
            () => lm.SampleSteps(contexts, settings, ref rng).Sum(x => (long)x.Tokens.Length))[0];
        return (TorchBench.Median(rates), overall);
    }

    private static double Simulated(bool quick)
    {
        var env = new CountdownEnvironment();
        var policy = new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.1, ConfidenceConcentration: 4, Verbosity: 0.1));
        var problems = Enumerable.Range(0, 256).Select(i => env.Sample((ulong)i, 2)).ToArray();
        // Contexts on track at every depth of their problem's plan.
        var contexts = new List<PolicyContext>();
        for (int i = 0; contexts.Count < 4096; i++)
        {
            var p = problems[i % problems.Length];
            var plan = policy.PlanOf(env, p);
            int depth = i % plan.Count;
            var state = env.Start(p);
            var lines = new List<string>();
            for (int d = 0; d < depth; d++) { state = env.CheckStep(p, state, plan[d]).State; lines.Add(plan[d]); }
            contexts.Add(new PolicyContext(env, p, state, lines, (ulong)i));
        }
        const int k = 4;
        var output = new ProposedStep[contexts.Count * k];
        int calls = quick ? 20 : 100;
        // Warm-up: the per-problem work (plans, and the verdicts of the candidate steps a dead-end mistake draws from,
        // checked once per problem as they are first drawn) is done before timing, as it is for one problem's many
        // proposals in a run; the figure is the steady-state rate.
        for (int w = 0; w < 10; w++) policy.Propose(contexts, k, output, ulong.MaxValue - (ulong)w);
        long t0 = Stopwatch.GetTimestamp();
        for (int c = 0; c < calls; c++) policy.Propose(contexts, k, output, (ulong)c + 1);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (double)calls * contexts.Count * k / seconds;
    }
}
