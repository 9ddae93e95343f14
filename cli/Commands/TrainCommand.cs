using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Data;
using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Agents.Scoring;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Agents.Training;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Search;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim train sft --data FILE --out CKPT</c>: supervised fine-tuning of a transformer policy on prompt/completion JSONL
/// (e.g. from <c>sim data demos</c>), with an optional greedy solve-rate evaluation on held-out problems.
/// <c>sim train rm --kind orm|prm|value --env countdown --out CKPT</c>: trains a reward or value model on labelled
/// trajectories and reports its calibration (ECE, AUC) against the environment's exact step values.
/// <c>sim train rm --kind bt|irl</c>: a Bradley–Terry reward from preference pairs or a discriminator reward from
/// demonstrations, with its agreement with the gold reward (<c>TrainCommand.Preferences.cs</c>).
/// </summary>
public static partial class TrainCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(CommandFactory f) => f.Group("train", "Train policies and reward models", Sft(f), RewardModelCommand(f), TrainRlCommand.Create(f));

    private static Command Sft(CommandFactory f)
    {
        var data = new Option<string>("--data") { Description = "Training JSONL with prompt and completion fields", Required = true };
        var output = new Option<string>("--out") { Description = "Checkpoint folder to write", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps", DefaultValueFactory = _ => 600 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 3e-3 };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks", DefaultValueFactory = _ => 4 };
        var width = new Option<int>("--width") { Description = "Model width", DefaultValueFactory = _ => 128 };
        var heads = new Option<int>("--heads") { Description = "Attention heads", DefaultValueFactory = _ => 4 };
        var context = new Option<int>("--context") { Description = "Context length in tokens", DefaultValueFactory = _ => 256 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var evalEnv = new Option<string?>("--eval-env") { Description = "Environment for the held-out greedy evaluation (e.g. countdown)" };
        var evalCount = new Option<int>("--eval-count") { Description = "Held-out problems to solve greedily after training", DefaultValueFactory = _ => 200 };
        var evalDifficulty = new Option<int?>("--eval-difficulty") { Description = "Difficulty of the held-out problems (default: the demonstrations' difficulty when they have one, else the environment's default)" };
        return f.Make("sft", "Supervised fine-tuning of a transformer policy on demonstrations", ctx =>
        {
            var rows = JsonlDataset.Read(ctx.Get(data)!);
            var dev = TorchDevice.Parse(ctx.Get(device));
            var tokenizer = SimTokenizer.CreateDefault();
            TransformerConfig cfg;
            try { cfg = new TransformerConfig(tokenizer.VocabSize, ctx.Get(layers), ctx.Get(width), ctx.Get(heads), ctx.Get(context)).Validate(); }
            catch (ArgumentException ex) { throw new UsageException(ex.Message); }
            var sft = new SftConfig(Steps: ctx.Get(steps), BatchSize: ctx.Get(batch), LearningRate: ctx.Get(lr), Seed: ctx.Seed);
            try { sft.Validate(); } catch (ArgumentException ex) { throw new UsageException(ex.Message); }
            IEnvironment? env = ctx.Get(evalEnv) is { } en ? EnvironmentRegistry.Default.Get(en) : null;
            if (env is not null) HeldOutSplit.CheckSeed(ctx.Seed);

            using var lm = TransformerLm.Create(cfg, tokenizer, ctx.Seed, dev);
            var trainer = new SftTrainer(lm, rows, sft);
            var sw = Stopwatch.StartNew();
            var losses = new List<float>();
            ctx.WithProgress("sft", progress =>
            {
                trainer.Train((step, loss) =>
                {
                    losses.Add(loss);
                    progress((double)step / sft.Steps);
                    if (!ctx.Json && (step % 100 == 0 || step == sft.Steps)) ctx.Err.WriteLine($"step {step}: loss {loss:F4}");
                });
                return 0;
            });
            double seconds = sw.Elapsed.TotalSeconds;
            double tail = losses.Count == 0 ? double.NaN : losses.Skip(Math.Max(0, losses.Count - 20)).Average();
            lm.Metadata["data"] = Path.GetFullPath(ctx.Get(data)!);
            lm.Metadata["rows"] = rows.Count;
            lm.Metadata["steps"] = sft.Steps;
            lm.Metadata["final_loss"] = tail;
            lm.Metadata["seed"] = ctx.Seed;
            string outDir = ctx.Get(output)!;
            lm.Save(outDir);

            double? solveShare = null;
            int evaluated = 0;
            if (env is not null)
            {
                int n = ctx.Get(evalCount);
                if (n < 1) throw new UsageException("--eval-count must be >= 1");
                // Evaluate where the demonstrations are, unless told otherwise, and say so when they do not cover it.
                var covered = JsonlDataset.Difficulties(ctx.Get(data)!);
                int d = ctx.Get(evalDifficulty) ?? (covered.Count == 1 ? covered.Keys.First() : env.Difficulty.Default);
                env.Difficulty.Check(d);
                if (covered.Count > 0 && !covered.ContainsKey(d))
                    ctx.Err.WriteLine($"warning: evaluating at difficulty {d}, which the demonstrations do not cover (they cover {string.Join(", ", covered.Keys)})");
                var seen = rows.Select(r => r.Prompt).ToHashSet(StringComparer.Ordinal);
                // Held-out problems: a seed range no `sim data demos` uses, minus any prompt in the data.
                var problems = HeldOutSplit.Problems(env, d, n, ctx.Seed, p => seen.Contains(DemoPrompt.For(env, p)));
                var outcomes = new GreedySolveEval().Run(lm, env, problems);
                evaluated = outcomes.Length;
                solveShare = outcomes.Count(o => o.Solved) / (double)Math.Max(1, outcomes.Length);
                lm.Metadata["eval"] = new JsonObject { ["env"] = env.Name, ["difficulty"] = d, ["problems"] = evaluated, ["greedy_solve_share"] = solveShare };
                lm.Save(outDir);
            }
            var summary = new
            {
                @out = outDir, rows = rows.Count, parameters = cfg.Parameters, steps = sft.Steps, first_loss = losses.FirstOrDefault(),
                final_loss = tail, seconds, tokens_per_s = trainer.SeenTokens / Math.Max(1e-9, seconds),
                device = dev.type.ToString().ToLowerInvariant(), eval_problems = evaluated, greedy_solve_share = solveShare,
            };
            if (ctx.Json) ctx.Out.WriteLine(JsonSerializer.Serialize(summary));
            else
            {
                ctx.Out.WriteLine($"sft: {sft.Steps} steps on {rows.Count} rows, {cfg.Parameters:N0} parameters, loss {summary.first_loss:F3} -> {tail:F3}, " +
                                  $"{summary.tokens_per_s:F0} tokens/s on {summary.device}; saved {outDir}");
                if (solveShare is { } s) ctx.Out.WriteLine($"eval: greedy solve share {s:P1} on {evaluated} held-out {env!.Name} problems");
            }
            return ExitCodes.Ok;
        }, data, output, steps, batch, lr, layers, width, heads, context, device, evalEnv, evalCount, evalDifficulty);
    }

    private static Command RewardModelCommand(CommandFactory f)
    {
        var kind = new Option<string>("--kind") { Description = "orm, prm, value, bt (Bradley–Terry on preference pairs) or irl (discriminator of demonstrations against the policy's samples)", Required = true };
        var envName = new Option<string>("--env") { Description = "Environment that labels the trajectories", DefaultValueFactory = _ => "countdown" };
        var problems = new Option<int>("--problems") { Description = "Training problems", DefaultValueFactory = _ => 400 };
        var rollouts = new Option<int>("--rollouts") { Description = "Labelled rollouts per problem", DefaultValueFactory = _ => 4 };
        var difficulty = new Option<int?>("--difficulty") { Description = "Problem difficulty" };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch") { Description = "Trajectories per step", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 2e-3 };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks", DefaultValueFactory = _ => 2 };
        var width = new Option<int>("--width") { Description = "Model width", DefaultValueFactory = _ => 96 };
        var heads = new Option<int>("--heads") { Description = "Attention heads", DefaultValueFactory = _ => 4 };
        var context = new Option<int?>("--context") { Description = "Context length in tokens (default 128; 384 on judge)" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var output = new Option<string>("--out") { Description = "Checkpoint folder to write", Required = true };
        var policy = new Option<string>("--policy") { Description = "The policy whose samples the model learns from: the one it will judge (see sim run --policy)", DefaultValueFactory = _ => RunCommand.DefaultPolicy };
        var source = new Option<string>("--source") { Description = "policy (samples of --policy) or generator (the older mixed generator: the simulated policy with random valid moves)", DefaultValueFactory = _ => "policy" };
        var labels = new Option<string>("--labels") { Description = "Step labels: exact (the environment's step values) or mc (Monte-Carlo completion success, Math-Shepherd)", DefaultValueFactory = _ => "exact" };
        var completions = new Option<int>("--completions") { Description = "Completions per step for --labels mc", DefaultValueFactory = _ => 4 };
        var pairs = new Option<string?>("--pairs") { Description = "bt: JSONL preference pairs {prompt, chosen, rejected} (TRL's format; sim data export --format trl-dpo) instead of pairs from --env" };
        var demos = new Option<string?>("--demos") { Description = "irl: JSONL demonstrations {prompt, completion} (sim data demos) instead of --env's reference solutions" };
        return f.Make("rm", "Train a reward model (orm, prm, value on labelled samples of the policy it will judge; bt on preference pairs; irl on demonstrations against the policy's samples); report its agreement with the exact or gold reward on held-out samples", ctx =>
        {
            var k = RewardModel.KindOf(ctx.Get(kind)!.Trim().ToLowerInvariant())
                ?? throw new UsageException($"unknown --kind '{ctx.Get(kind)}'; use orm, prm, value, bt or irl");
            if (ctx.Get(pairs) is not null && k != ScorerKind.Preference) throw new UsageException("--pairs applies to --kind bt");
            if (ctx.Get(demos) is not null && k != ScorerKind.Discriminator) throw new UsageException("--demos applies to --kind irl");
            if (k is ScorerKind.Preference or ScorerKind.Discriminator)
            {
                if (ctx.Get(source)!.Trim().ToLowerInvariant() != "policy" || ctx.Get(labels)!.Trim().ToLowerInvariant() != "exact")
                    throw new UsageException("--source and --labels apply to --kind orm, prm and value");
                return LearnedReward(ctx, k, new LearnedRewardArgs(ctx.Get(envName)!, ctx.Get(pairs), ctx.Get(demos), ctx.Get(policy)!, ctx.Get(problems),
                    ctx.Get(rollouts), ctx.Get(difficulty), ctx.Get(steps), ctx.Get(batch), ctx.Get(lr), ctx.Get(layers), ctx.Get(width), ctx.Get(heads),
                    ctx.Get(context), ctx.Get(device)!, ctx.Get(output)!));
            }
            var env = EnvironmentRegistry.Default.Get(ctx.Get(envName)!);
            if (!env.HasReferenceSolver) throw new UsageException($"'{env.Name}' has no reference solver for the rollout policy");
            int n = ctx.Get(problems), per = ctx.Get(rollouts);
            if (n < 1 || per < 1) throw new UsageException("--problems and --rollouts must be >= 1");
            int d = ctx.Get(difficulty) ?? env.Difficulty.Default;
            env.Difficulty.Check(d);
            var dev = TorchDevice.Parse(ctx.Get(device));
            var tokenizer = SimTokenizer.CreateDefault();
            TransformerConfig shape;
            RewardModelConfig cfg;
            try
            {
                shape = new TransformerConfig(tokenizer.VocabSize, ctx.Get(layers), ctx.Get(width), ctx.Get(heads), ctx.Get(context) ?? 128).Validate();
                cfg = new RewardModelConfig(ctx.Get(steps), ctx.Get(batch), ctx.Get(lr), Seed: ctx.Seed).Validate();
            }
            catch (ArgumentException ex) { throw new UsageException(ex.Message); }

            string src = ctx.Get(source)!.Trim().ToLowerInvariant();
            if (src is not ("policy" or "generator")) throw new UsageException($"unknown --source '{src}'; use policy or generator");
            var stepLabels = ctx.Get(labels)!.Trim().ToLowerInvariant() switch
            {
                "exact" => StepLabels.Exact,
                "mc" or "monte-carlo" => StepLabels.MonteCarlo,
                var x => throw new UsageException($"unknown --labels '{x}'; use exact or mc"),
            };
            int mc = ctx.Get(completions);
            if (mc < 1 || mc > 256) throw new UsageException("--completions must be in 1..256");
            string policySpec = ctx.Get(policy)!;
            var sampled = PolicySpec.Parse(policySpec);
            // Train and held-out problems come from disjoint seed ranges. By default the samples are the searched
            // policy's own, so the model is judged on the distribution it learned; the generator mixes the simulated
            // policy with random valid moves (another distribution, kept for comparison).
            Func<IReadOnlyList<Problem>, ulong, List<LabelledTrajectory>> generate = src == "policy"
                ? (set, seed) => new PolicySampler(sampled, stepLabels, mc).Generate(env, set, per, seed)
                : (set, seed) => new TrajectoryGenerator(new SimulatedPolicy(new SimulatedPolicyConfig(StepErrorRate: 0.15))).Generate(env, set, per, seed);
            var train = generate(Enumerable.Range(0, n).Select(i => env.Sample(HeldOutSplit.TrainingSeed(ctx.Seed, (ulong)i), d)).ToArray(), ctx.Seed);
            int held = Math.Max(50, n / 4);
            var test = generate(Enumerable.Range(0, held).Select(i => env.Sample((1UL << 61) + ctx.Seed * DataCommand.SeedStride + (ulong)i, d)).ToArray(), ctx.Seed + 1);

            using var model = RewardModel.Create(k, shape, tokenizer, ctx.Seed, dev);
            model.TrainedOn = new JsonObject
            {
                ["env"] = env.Name, ["difficulty"] = d, ["policy"] = src == "policy" ? policySpec : "generator", ["source"] = src,
                ["labels"] = stepLabels == StepLabels.Exact ? "exact" : "mc", ["problems"] = n, ["rollouts"] = per,
            };
            var sw = Stopwatch.StartNew();
            var losses = ctx.WithProgress($"rm {model.Name}", progress => model.Train(train, cfg, (s, _) => progress((double)s / cfg.Steps)));
            double seconds = sw.Elapsed.TotalSeconds;
            model.Save(ctx.Get(output)!);
            var (stepsReport, outcomes) = model.Evaluate(test);
            double finalLoss = losses.Count == 0 ? double.NaN : losses.Skip(Math.Max(0, losses.Count - 20)).Where(float.IsFinite).DefaultIfEmpty(float.NaN).Average();
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    kind = model.Name, env = env.Name, difficulty = d, policy = src == "policy" ? policySpec : "generator", source = src,
                    labels = stepLabels == StepLabels.Exact ? "exact" : "mc", train_trajectories = train.Count, test_trajectories = test.Count,
                    train_positive_share = train.Count(t => t.Outcome > 0.5f) / (double)Math.Max(1, train.Count),
                    steps = cfg.Steps, final_loss = finalLoss, seconds,
                    step_ece = stepsReport.Ece, step_auc = stepsReport.Auc, step_accuracy = stepsReport.Accuracy, step_count = stepsReport.Count,
                    outcome_ece = outcomes.Ece, outcome_auc = outcomes.Auc, outcome_count = outcomes.Count,
                }, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            }
            else
            {
                ctx.Out.WriteLine($"rm {model.Name}: {cfg.Steps} steps on {train.Count} trajectories in {seconds:F0}s, final loss {finalLoss:F4}; saved {ctx.Get(output)}");
                ctx.Out.WriteLine($"held-out steps vs exact step values: ECE {stepsReport.Ece:F4}, AUC {stepsReport.Auc:F4}, accuracy {stepsReport.Accuracy:F3} ({stepsReport.Count} steps, {stepsReport.Positives} positive)");
                ctx.Out.WriteLine($"held-out final score vs outcome:    ECE {outcomes.Ece:F4}, AUC {outcomes.Auc:F4} ({outcomes.Count} trajectories)");
            }
            return ExitCodes.Ok;
        }, kind, envName, problems, rollouts, difficulty, steps, batch, lr, layers, width, heads, context, device, output, policy, source, labels, completions, pairs, demos);
    }
}
