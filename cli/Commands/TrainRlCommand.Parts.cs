using System.Diagnostics;
using System.Text.Json.Nodes;
using Sim.Agents.Data;
using Sim.Agents.Demonstrators;
using Sim.Agents.Learning;
using Sim.Agents.Learning.Algorithms;
using Sim.Agents.Learning.Learners;
using Sim.Agents.Tokenization;
using Sim.Agents.Training;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using TorchSharp;

namespace Sim.Cli.Commands;

public static partial class TrainRlCommand
{
    // Defaults per algorithm and learner. The transformer's with --quick are the reference configuration (countdown
    // with 3 numbers: 500 optimal demonstrations, SFT to its plateau, then RL for about a minute); without it the RL
    // phase runs three times as many updates from the same start. The tabular policy's reach >= 95% on its pool in
    // seconds.
    private sealed record Defaults(int Iterations, int Problems, int Samples, double LearningRate, int Demos = 500, int SftSteps = 3000, int HeldOut = 500)
    {
        public static Defaults For(string algo, bool tabular, bool quick)
        {
            var d = (algo, tabular) switch
            {
                (_, true) => new Defaults(400, 64, 8, algo switch { "dpo" => 0.1, "ppo" => 0.03, "reinforce" => 0.2, _ => 0.5 }, HeldOut: 200),
                ("ei", false) => new Defaults(80, 256, 8, 3e-4),
                ("dpo", false) => new Defaults(30, 128, 8, 2e-4),
                _ => new Defaults(150, 64, 8, 1e-3),
            };
            return quick || tabular ? d : d with { Iterations = d.Iterations * 3 };
        }
    }

    private static IRlAlgorithm Make(string algo, double lr, double? kl, int? epochs) => algo switch
    {
        "ei" => new ExpertIteration(new ExpertIterationConfig(lr, Epochs: epochs ?? 1)),
        "reinforce" => new Reinforce(new ReinforceConfig(lr)),
        "rloo" => new Rloo(new RlooConfig(lr)),
        "grpo" => new Grpo(new GrpoConfig(lr, KlBeta: kl ?? 0.04, Epochs: epochs ?? 1)),
        "dr-grpo" => new Grpo(new GrpoConfig(lr, KlBeta: kl ?? 0.04, Epochs: epochs ?? 1, DrGrpo: true)),
        "ppo" => new Ppo(new PpoConfig(lr, Epochs: epochs ?? 4)),
        "dpo" => new Dpo(new DpoConfig(lr, Beta: kl ?? 0.1, Epochs: epochs ?? 1)),
        _ => throw new UsageException($"unknown --algo '{algo}'"),
    };

    // Optimal demonstrations from the demo seed range (the one `sim data demos --seed s` uses).
    private static List<PromptCompletion> Demos(IEnvironment env, int difficulty, int count, ulong seed)
    {
        var demonstrator = new Demonstrator();
        var rng = new Rng(StableHash.Mix(seed ^ 0xDE40UL));
        var rows = new List<PromptCompletion>(count);
        for (ulong i = 0; rows.Count < count; i++)
        {
            if (i > (ulong)count * 20 + 1000) throw new UsageException($"only {rows.Count} of {count} problems could be demonstrated");
            if (demonstrator.Demonstrate(env, env.Sample(seed * DataCommand.SeedStride + i, difficulty), DemoStyle.Optimal, ref rng) is { } row) rows.Add(row);
        }
        return rows;
    }

    /// <summary>The SFT starting point: a small transformer (2 layers, width 64) trained on the demonstrations.</summary>
    private sealed class SftRun
    {
        private string _saved = "";

        public required TransformerLm Lm { get; init; }
        public double Seconds { get; init; }
        public double SecondsPerStep { get; init; }
        public double FinalLoss { get; init; }
        public required SftConfig Config { get; init; }

        public static SftRun Train(List<PromptCompletion> rows, int steps, ulong seed, torch.Device dev, Action<double> progress)
        {
            var tokenizer = SimTokenizer.CreateDefault();
            var lm = TransformerLm.Create(new TransformerConfig(tokenizer.VocabSize, Layers: 2, Width: 64, Heads: 4, Context: 128), tokenizer, seed, dev);
            var cfg = new SftConfig(Steps: steps, BatchSize: 64, LearningRate: 3e-3, Seed: seed);
            var trainer = new SftTrainer(lm, rows, cfg);
            var sw = Stopwatch.StartNew();
            var losses = trainer.Train((s, _) => progress((double)s / steps));
            var run = new SftRun
            {
                Lm = lm, Config = cfg, Seconds = sw.Elapsed.TotalSeconds, SecondsPerStep = sw.Elapsed.TotalSeconds / steps,
                FinalLoss = losses.Skip(Math.Max(0, losses.Count - 20)).Average(x => (double)x),
            };
            // Kept on disk so the control starts from these exact weights after RL has changed the learner's.
            run._saved = Path.Combine(Path.GetTempPath(), $"sim-sft-start-{Environment.ProcessId}-{seed}");
            lm.Save(run._saved);
            return run;
        }

        /// <summary>The control: the starting weights, trained on the same rows for <paramref name="steps"/> more steps
        /// with a fresh schedule of the same peak learning rate.</summary>
        public TransformerLm Continue(List<PromptCompletion> rows, int steps, Action<double> progress)
        {
            var lm = TransformerLm.Load(_saved, Lm.Device);
            try { Directory.Delete(_saved, true); } catch (IOException) { }
            var trainer = new SftTrainer(lm, rows, Config with { Steps = steps, Seed = Config.Seed + 1 });
            trainer.Train((s, _) => progress((double)s / steps));
            return lm;
        }
    }
}
