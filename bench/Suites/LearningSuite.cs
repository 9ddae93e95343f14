using System.Diagnostics;
using Sim.Agents.Data;
using Sim.Agents.Learning.Algorithms;
using Sim.Agents.Learning.Learners;
using Sim.Systems.Learning;
using Sim.Agents.Demonstrators;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Agents.Training;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments.Countdown;
using TorchSharp;

namespace Sim.Bench.Suites;

/// <summary>
/// <c>sim bench learning</c>: the rates a learning loop runs at with the default small transformer, each against the
/// fp32 matmul peak measured in the same run. Training is <see cref="SftTrainer"/> itself (its batch, its
/// length-bucketed countdown demonstrations, AdamW and gradient clipping); rollouts are GRPO-style: a batch of countdown
/// prompts extended line by line with <see cref="TransformerLm.SampleSteps"/>.
/// </summary>
public sealed class LearningSuite : IBenchSuite
{
    /// <summary>Prompts in one rollout batch (one sample each).</summary>
    public const int RolloutPrompts = 64;

    /// <summary>Lines sampled per prompt in one rollout.</summary>
    public const int RolloutLines = 4;

    /// <summary>Token cap of one sampled line.</summary>
    public const int LineTokens = 48;

    /// <summary>Countdown difficulty of the demonstrations and prompts (3 numbers).</summary>
    public const int Difficulty = 1;

    /// <inheritdoc />
    public string Name => "learning";

    /// <inheritdoc />
    public string Description => "SFT training tokens/s and MFU, GRPO-style rollout tokens/s and its fraction of the matmul-peak bound, seconds per GRPO iteration";

    /// <inheritdoc />
    public void Run(BenchReport report, bool quick, Action<double> progress)
    {
        var device = TorchDevice.Default;
        double peak = TorchBench.MatmulPeak(device, quick);
        progress(0.1);
        var tok = SimTokenizer.CreateDefault();
        var cfg = new TransformerConfig(tok.VocabSize);
        string peakNote = $"fp32 matmul peak {peak / 1e9:F1} GFLOP/s ({device.type}, {torch.get_num_threads()} threads) measured in this run";

        if (report.Wants("learning.train") || report.Wants("learning.mfu"))
        {
            using var lm = TransformerLm.Create(cfg, tok, 1, device);
            var t = Train(lm, quick, progress);
            string shape = $"SftTrainer, default SftConfig (batch {t.Batch}, AdamW, clip 1), countdown SoS demonstrations "
                           + $"(difficulty {Difficulty}), length-bucketed rows of {t.MeanRow:F0} tokens on average (batch width {t.MeanWidth:F0}, "
                           + $"padding {1 - t.MeanRow / t.MeanWidth:P0}), {t.Steps} timed steps";
            report.Add("learning.train_tokens_per_s", t.TokensPerS, "tok/s", $"{shape}; tokens = non-padding positions");
            report.Add("learning.mfu", t.FlopsPerS / peak, "",
                $"(6N + attention) FLOPs of the non-padding tokens per second / {peakNote}; target >= 0.5");
        }
        progress(0.6);

        if (report.Wants("learning.rollout"))
        {
            using var lm = TransformerLm.Create(cfg, tok, 1, device);
            var (reused, refilled) = Rollouts(lm, quick);
            double median = TorchBench.Median(reused), refilledMedian = TorchBench.Median(refilled);
            double bound = peak / (2.0 * cfg.Parameters);
            string what = $"{RolloutPrompts} countdown prompts x {RolloutLines} lines of up to {LineTokens} tokens, KV cache, temperature 1, "
                          + $"fresh weights (lines run to the cap); median of {reused.Length} rollouts after the JIT settles";
            report.Add("learning.rollout_tokens_per_s", median, "tok/s",
                $"{what} (min {reused[0]:F0}, max {reused[^1]:F0}); each line continues the rows cached by the last (ReuseCachedRows); target >= 30000 on 2 cores");
            report.Add("learning.rollout_peak_fraction", median / bound, "",
                $"rollout tok/s / (peak / (2 x {cfg.Parameters:N0} params)) = / {bound:F0} tok/s, {peakNote}; target >= 0.4");
            report.Add("learning.rollout_refill_tokens_per_s", refilledMedian, "tok/s",
                $"the same rollouts prefilling every context at every line (ReuseCachedRows off), in turns with them (min {refilled[0]:F0}, max {refilled[^1]:F0}); "
                + $"reuse gains x{median / refilledMedian:F2}");
        }
        progress(0.9);
        if (report.Wants("learning.rl_iteration_s"))
        {
            var seconds = RlIterations(TransformerLm.Create(cfg, tok, 1, device), quick);
            report.Add("learning.rl_iteration_s", TorchBench.Median(seconds), "s",
                $"one GRPO tick of sim train rl: {RlProblems} countdown problems x {RlSamples} samples rolled out line by line (up to 8 lines), "
                + $"verified, then one update; fresh weights; median of {seconds.Length} (min {seconds[0]:F2}, max {seconds[^1]:F2})");
        }
        progress(1);
    }

    /// <summary>Problems per timed GRPO iteration.</summary>
    public const int RlProblems = 16;

    /// <summary>Samples per problem in a timed GRPO iteration.</summary>
    public const int RlSamples = 8;

    // Ticks of the learning-run pipeline (spawn, rollout, experience, GRPO update), each timed alone after one warm tick.
    private static double[] RlIterations(TransformerLm lm, bool quick)
    {
        using var learner = new TransformerLearner(lm);
        var spec = new LearningRunSpec(new CountdownEnvironment(), Difficulty, learner, new Grpo(new GrpoConfig()), Seed: 1,
            ProblemsPerTick: RlProblems, SamplesPerProblem: RlSamples, HeldOut: 1, MaxLines: 8);
        using var world = World.Create(1);
        var pipeline = LearningRun.Build(world, spec);
        pipeline.Tick();
        var seconds = new double[quick ? 3 : 5];
        for (int i = 0; i < seconds.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            pipeline.Tick();
            seconds[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(seconds);
        return seconds;
    }

    private readonly record struct TrainFigures(double TokensPerS, double FlopsPerS, int Batch, int Steps, double MeanRow, double MeanWidth);

    // SftTrainer steps on countdown demonstrations: the shape `sim train sft` trains at. Tokens are the positions that
    // are not padding; FLOPs are TrainFlopsPerToken at each step's mean row length (padding counts as waste).
    private static TrainFigures Train(TransformerLm lm, bool quick, Action<double> progress)
    {
        var env = new CountdownEnvironment();
        var demonstrator = new Demonstrator();
        var rows = new List<PromptCompletion>();
        var rng = new Rng(StableHash.Mix(0x1EA2UL));
        for (ulong i = 0; rows.Count < 1024; i++)
            if (demonstrator.Demonstrate(env, env.Sample(i, Difficulty), DemoStyle.SosDfs, ref rng) is { } row) rows.Add(row);
        int warm = quick ? 5 : 10, timed = quick ? 20 : 60;
        var config = new SftConfig(Steps: warm + timed);
        var trainer = new SftTrainer(lm, rows, config);
        for (int s = 0; s < warm; s++) trainer.TrainStep();
        double flops = 0, widthSum = 0;
        long tokens0 = trainer.SeenTokens;
        double seconds = 0;
        for (int s = 0; s < timed; s++)
        {
            long before = trainer.SeenTokens;
            long t0 = Stopwatch.GetTimestamp();
            trainer.TrainStep();
            seconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            long seen = trainer.SeenTokens - before;
            double meanRow = (double)seen / config.BatchSize;
            flops += seen * lm.Config.TrainFlopsPerToken((int)Math.Round(meanRow));
            widthSum += trainer.LastBatchWidth;
            progress(0.1 + 0.5 * (s + 1) / timed);
        }
        long tokens = trainer.SeenTokens - tokens0;
        return new TrainFigures(tokens / seconds, flops / seconds, config.BatchSize, timed, (double)tokens / timed / config.BatchSize, widthSum / timed);
    }

    // GRPO-style rollouts: every prompt extended by RolloutLines sampled lines, one SampleSteps call per line over the
    // whole batch; a line cut at the cap is closed with the delimiter, a row that drew end-of-sequence leaves the batch.
    private static (double[] Reused, double[] Refilled) Rollouts(TransformerLm lm, bool quick)
    {
        var env = new CountdownEnvironment();
        var prompts = new int[RolloutPrompts][];
        for (int i = 0; i < RolloutPrompts; i++)
            prompts[i] = lm.EncodeContext(DemoPrompt.For(env, env.Sample(1_000_000UL + (ulong)i, Difficulty)), []);
        var settings = new SamplingSettings(Temperature: 1.0, MaxStepTokens: LineTokens);
        int delimiter = lm.Tokenizer.StepDelimiterId;

        long Rollout(ref Rng rng)
        {
            var live = prompts.ToList();
            long drawn = 0;
            for (int line = 0; line < RolloutLines && live.Count > 0; line++)
            {
                var steps = lm.SampleSteps(live, settings, ref rng);
                var next = new List<int[]>(live.Count);
                for (int i = 0; i < steps.Length; i++)
                {
                    drawn += steps[i].Tokens.Length;
                    if (steps[i].Stop == StopReason.EndOfSequence) continue;
                    next.Add(steps[i].Stop == StopReason.Length ? [.. live[i], .. steps[i].Tokens, delimiter] : [.. live[i], .. steps[i].Tokens]);
                }
                live = next;
            }
            return drawn;
        }

        var rng = new Rng(21);
        var refillRng = new Rng(21);
        var warm = new Rng(22);
        var rates = TorchBench.RatesPerCall(() => { lm.ReuseCachedRows = true; Rollout(ref warm); }, quick ? 5 : 9, quick,
            () => { lm.ReuseCachedRows = true; return Rollout(ref rng); },
            () => { lm.ReuseCachedRows = false; return Rollout(ref refillRng); });
        lm.ReuseCachedRows = false;
        return (rates[0].Sorted, rates[1].Sorted);
    }
}
