using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Data;
using Sim.Agents.Demonstrators;
using Sim.Agents.Learning;
using Sim.Agents.Learning.Algorithms;
using Sim.Agents.Learning.Learners;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Agents.Training;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using Sim.Systems.Learning;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim train rl --algo NAME</c>: the search → learn loop. A learner (the transformer, or the tabular softmax policy)
/// rolls out groups of episodes on training problems, the verifiers reward them, and the algorithm updates the policy,
/// one update per tick of a <see cref="LearningRun"/> pipeline; the held-out greedy solve rate is reported before and
/// after. For the transformer without <c>--init</c> the command first makes its starting point: optimal
/// demonstrations, SFT to convergence, then (after RL) the control: the same SFT continued for the RL phase's wall time.
/// </summary>
public static partial class TrainRlCommand
{
    /// <summary>Names accepted by <c>--algo</c>.</summary>
    public static readonly IReadOnlyList<string> Algorithms = ["ei", "reinforce", "rloo", "grpo", "dr-grpo", "ppo", "dpo"];

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandFactory f)
    {
        var algo = new Option<string>("--algo") { Description = "ei, reinforce, rloo, grpo, dr-grpo, ppo or dpo", Required = true };
        var policy = new Option<string>("--policy") { Description = "transformer or tabular (a softmax over the environment's candidate steps)", DefaultValueFactory = _ => "transformer" };
        var init = new Option<string?>("--init") { Description = "Transformer checkpoint to start from (default: SFT on optimal demonstrations, made here)" };
        var envName = new Option<string>("--env") { Description = "Environment", DefaultValueFactory = _ => "countdown" };
        var difficulty = new Option<int>("--difficulty") { Description = "Problem difficulty (countdown 1 = 3 numbers)", DefaultValueFactory = _ => 1 };
        var iterations = new Option<int?>("--iterations") { Description = "Learning updates (ticks)" };
        var problems = new Option<int?>("--problems") { Description = "Problems rolled out per update" };
        var samples = new Option<int?>("--samples") { Description = "Samples per problem (a sibling group)" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate" };
        var kl = new Option<double?>("--kl") { Description = "KL penalty β to the starting policy (grpo), or DPO's β" };
        var epochs = new Option<int?>("--epochs") { Description = "Passes over each batch" };
        var buffer = new Option<string>("--buffer") { Description = "on-policy or replay", DefaultValueFactory = _ => "on-policy" };
        var staleness = new Option<int>("--staleness") { Description = "Replay buffer: drop experience more than k policy versions old", DefaultValueFactory = _ => 4 };
        var lengthPenalty = new Option<double>("--length-penalty") { Description = "Return lost per token written (overthinking control)", DefaultValueFactory = _ => 0 };
        var curriculum = new Option<string?>("--curriculum") { Description = "Keep the recent solve rate in a band LOW,HIGH by moving the difficulty (e.g. 0.3,0.7)" };
        var evalEvery = new Option<int>("--eval-every") { Description = "Held-out greedy evaluation every N updates (0 = start and end only)", DefaultValueFactory = _ => 0 };
        var evalSamples = new Option<int>("--eval-samples") { Description = "Samples per held-out problem for pass@k and maj@k at each evaluation (0 = greedy only)", DefaultValueFactory = _ => 0 };
        var heldOut = new Option<int?>("--heldout") { Description = "Held-out problems" };
        var pool = new Option<int?>("--pool") { Description = "Train on a fixed pool of N problems (the tabular policy's task; default 256 for it)" };
        var pairs = new Option<string?>("--pairs") { Description = "DPO: a pair file (JSONL with prompt, chosen, rejected) instead of pairs mined from search trees" };
        var output = new Option<string?>("--out") { Description = "Folder for checkpoints and the final policy" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N updates (needs --out)", DefaultValueFactory = _ => 0 };
        var resume = new Option<bool>("--resume") { Description = "Continue from the latest checkpoint in --out" };
        var replay = new Option<string?>("--replay") { Description = "Record the run (episodes and learning curves) to this replay file for sim view" };
        var plot = new Option<string?>("--plot") { Description = "Write learning curves (reward, solve rate, loss, KL, entropy) to this PNG" };
        var quick = new Option<bool>("--quick") { Description = "The reference configuration (about a minute of RL after the SFT start, then the control); without it the RL phase runs three times as long" };
        var demos = new Option<int?>("--demos") { Description = "Optimal demonstrations for the SFT start" };
        var sftSteps = new Option<int?>("--sft-steps") { Description = "SFT steps for the start" };
        var control = new Option<bool>("--no-control") { Description = "Skip the SFT control run" };
        var reward = new Option<string?>("--reward-model") { Description = "Reward checkpoint (sim train rm: orm, bt or irl) that gives the returns instead of the verifier; the verifier's outcome is still reported" };
        var onlineRm = new Option<string?>("--online-rm") { Description = "Train a reward model online from the run's own experience with Monte-Carlo step labels: prm, orm or value" };
        var onlineEvery = new Option<int>("--online-rm-every") { Description = "Train the online reward model and log its calibration every N updates", DefaultValueFactory = _ => 5 };
        var onlineCoef = new Option<double>("--online-rm-coef") { Description = "Weight of the online model's mean step score added to each return (0 = train and log only)", DefaultValueFactory = _ => 0.1 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        return f.Make("rl", "Reinforcement learning from verified rollouts: expert iteration, REINFORCE, RLOO, GRPO, PPO, DPO", ctx =>
        {
            var o = new Options(ctx.Get(algo)!.Trim().ToLowerInvariant(), ctx.Get(policy)!.Trim().ToLowerInvariant(), ctx.Get(quick));
            if (!Algorithms.Contains(o.Algo)) throw new UsageException($"unknown --algo '{o.Algo}'; use {string.Join(", ", Algorithms)}");
            if (o.Policy is not ("transformer" or "tabular")) throw new UsageException($"unknown --policy '{o.Policy}'; use transformer or tabular");
            var env = EnvironmentRegistry.Default.Get(ctx.Get(envName)!);
            int d = ctx.Get(difficulty);
            env.Difficulty.Check(d);
            bool tabular = o.Policy == "tabular";
            if (tabular && env is not IStepEnumerator) throw new UsageException($"--policy tabular needs an environment that lists its candidate steps; '{env.Name}' does not");
            if (tabular && ctx.Get(init) is not null) throw new UsageException("--init takes a transformer checkpoint; the tabular policy starts uniform");
            // Only the tabular learner has a value head; say so before any SFT runs.
            if (o.Algo == "ppo" && !tabular)
                throw new UsageException("--algo ppo needs a value head; the transformer learner has none (use --policy tabular, or grpo/rloo/reinforce, which need none)");
            var defaults = Defaults.For(o.Algo, tabular, o.Quick);
            int iters = ctx.Get(iterations) ?? defaults.Iterations;
            int perTick = ctx.Get(problems) ?? defaults.Problems;
            int k = ctx.Get(samples) ?? defaults.Samples;
            int held = ctx.Get(heldOut) ?? defaults.HeldOut;
            int? poolSize = ctx.Get(pool) ?? (tabular ? 256 : null);
            if (iters < 1 || perTick < 1 || k < 1 || held < 1 || poolSize is < 1) throw new UsageException("--iterations, --problems, --samples, --heldout and --pool must be >= 1");
            var bufferCfg = new BufferConfig(ctx.Get(buffer)!.Trim().ToLowerInvariant() switch
            {
                "on-policy" or "onpolicy" => BufferMode.OnPolicy,
                "replay" => BufferMode.Replay,
                var x => throw new UsageException($"unknown --buffer '{x}'; use on-policy or replay"),
            }, ctx.Get(staleness));
            try { bufferCfg.Validate(); } catch (ArgumentException e) { throw new UsageException(e.Message); }
            CurriculumConfig? cur = null;
            if (ctx.Get(curriculum) is { } band)
            {
                var parts = band.Split(',');
                if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out double lo)
                    || !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out double hi))
                    throw new UsageException($"--curriculum takes LOW,HIGH (e.g. 0.3,0.7), not '{band}'");
                try { cur = new CurriculumConfig(lo, hi).Validate(); } catch (ArgumentException e) { throw new UsageException(e.Message); }
            }
            if (ctx.Get(lengthPenalty) < 0) throw new UsageException("--length-penalty must be >= 0");
            string? outDir = ctx.Get(output);
            if ((ctx.Get(resume) || ctx.Get(checkpointEvery) > 0) && outDir is null) throw new UsageException("--resume and --checkpoint-every need --out");
            if (ctx.Get(resume) && !LearningCheckpoint.Exists(outDir!)) throw new UsageException($"--resume: {outDir} holds no checkpoint");
            if (ctx.Get(resume) && bufferCfg.Mode != BufferMode.OnPolicy) throw new UsageException("--resume needs --buffer on-policy (a replay buffer is not checkpointed)");
            if (ctx.Get(pairs) is { } pf && !File.Exists(pf)) throw new UsageException($"--pairs: file '{pf}' not found");
            if (ctx.Get(pairs) is not null && (o.Algo != "dpo" || tabular)) throw new UsageException("--pairs is for --algo dpo with the transformer policy");

            var total = Stopwatch.StartNew();
            var report = new JsonObject { ["algo"] = o.Algo, ["policy"] = o.Policy, ["env"] = env.Name, ["difficulty"] = d };
            // The learner and, for the transformer, its starting point.
            ILearner learner;
            List<PromptCompletion>? demoRows = null;
            SftRun? sft = null;
            var dev = TorchDevice.Parse(ctx.Get(device));
            if (tabular) learner = new TabularLearner();
            else if (ctx.Get(init) is { } ckpt)
            {
                TransformerLm lm;
                try { lm = TransformerLm.Load(ckpt, dev); }
                catch (Exception e) when (e is FileNotFoundException or InvalidDataException) { throw new UsageException($"--init: {e.Message}"); }
                learner = new TransformerLearner(lm);
                report["init"] = ckpt;
            }
            else
            {
                int nDemos = ctx.Get(demos) ?? defaults.Demos, steps = ctx.Get(sftSteps) ?? defaults.SftSteps;
                if (nDemos < 1 || steps < 1) throw new UsageException("--demos and --sft-steps must be >= 1");
                demoRows = Demos(env, d, nDemos, ctx.Seed);
                sft = ctx.WithProgress("sft start", p => SftRun.Train(demoRows, steps, ctx.Seed, dev, p));
                learner = new TransformerLearner(sft.Lm);
                report["sft"] = new JsonObject { ["demos"] = nDemos, ["steps"] = steps, ["seconds"] = sft.Seconds, ["final_loss"] = sft.FinalLoss };
            }
            using var _ = learner;
            var algorithm = Make(o.Algo, ctx.Get(lr) ?? defaults.LearningRate, ctx.Get(kl), ctx.Get(epochs));
            if (algorithm is Dpo dpo && ctx.Get(pairs) is { } pairFile)
                algorithm = new Dpo(dpo.Config) { FixedPairs = PairFile.Read(pairFile, (TransformerLearner)learner) };

            Sim.Agents.Scoring.RewardModel? rewardModel = null;
            if (ctx.Get(reward) is { } rmPath)
            {
                try { rewardModel = Sim.Agents.Scoring.RewardModel.Load(rmPath, dev); }
                catch (Exception e) when (e is FileNotFoundException or InvalidDataException) { throw new UsageException($"--reward-model: {SimApp.FirstLine(e.Message)}"); }
                report["reward_model"] = rmPath;
            }
            using var __ = rewardModel;
            OnlineRewardModel? online = null;
            if (ctx.Get(onlineRm) is { } kindName)
            {
                var kind = kindName.Trim().ToLowerInvariant() switch
                {
                    "prm" => Sim.Agents.Scoring.ScorerKind.Process,
                    "orm" => Sim.Agents.Scoring.ScorerKind.Outcome,
                    "value" => Sim.Agents.Scoring.ScorerKind.Value,
                    var x => throw new UsageException($"unknown --online-rm '{x}'; use prm, orm or value"),
                };
                if (ctx.Get(resume)) throw new UsageException("--resume does not restore an online reward model; run without --online-rm");
                var tokenizer = SimTokenizer.CreateDefault();
                var shape = new TransformerConfig(tokenizer.VocabSize, Layers: 2, Width: 64, Heads: 4, Context: 192);
                try
                {
                    online = new OnlineRewardModel(Sim.Agents.Scoring.RewardModel.Create(kind, shape, tokenizer, ctx.Seed, dev),
                        new OnlineRewardConfig(kind, ctx.Get(onlineEvery), Coefficient: ctx.Get(onlineCoef)));
                }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
            }
            using var ___ = online?.Model;
            if (ctx.Get(evalSamples) is < 0 or > 1024) throw new UsageException("--eval-samples must be in 0..1024");
            var spec = new LearningRunSpec(env, d, learner, algorithm, ctx.Seed, perTick, k, bufferCfg, poolSize, held, ctx.Get(evalEvery), ctx.Get(evalSamples),
                LengthPenalty: ctx.Get(lengthPenalty), Curriculum: cur, RewardModel: rewardModel, Online: online);
            using var world = World.Create(ctx.Seed);
            var pipeline = LearningRun.Build(world, spec);
            if (ctx.Profile) pipeline.EnableProfiling();
            using var writer = ctx.Get(replay) is { } replayPath ? Sim.Replay.ReplayWriter.Create(replayPath, LearningRecording.Header(spec, iters, VersionCommand.CodeVersion)) : null;
            if (writer is not null) LearningRecording.AddTo(pipeline, writer);
            var state = world.Resources.Get<LearningState>();
            var log = world.Resources.Get<LearningLog>();
            if (outDir is not null) LearningCheckpoint.SaveInit(outDir, learner);
            if (ctx.Get(resume)) LearningCheckpoint.Restore(outDir!, world);
            else log.Evals.Add(EvaluationSystem.Evaluate(state));
            var initEval = log.Evals[0];
            // On a fixed pool (the tabular policy's task) the solve rates are the pool's; held-out rates go beside them.
            report["task"] = poolSize is { } ps ? $"a fixed pool of {ps} training problems" : $"{held} held-out problems";
            report["init_solve_rate"] = initEval.PoolSolveRate ?? initEval.HeldOutSolveRate;
            report["init_heldout_solve_rate"] = initEval.HeldOutSolveRate;
            if (!ctx.Json) ctx.Err.WriteLine($"start: held-out greedy solve rate {initEval.HeldOutSolveRate:P1}" + (initEval.PoolSolveRate is { } p0 ? $", pool {p0:P1}" : ""));

            var rlClock = Stopwatch.StartNew();
            int every = ctx.Get(checkpointEvery);
            try
            {
                ctx.WithProgress($"rl {o.Algo}", progress =>
                {
                    while (state.Tick < iters)
                    {
                        pipeline.Tick();
                        progress(state.Tick / (double)iters);
                        if (!ctx.Json && log.Updates.Count > 0 && (state.Tick % 10 == 0 || state.Tick == iters))
                        {
                            var u = log.Updates[^1];
                            ctx.Err.WriteLine($"update {u.Version}: batch solve rate {u.SolveRate:P1}, loss {u.Stats.GetValueOrDefault("loss", double.NaN):F4}" +
                                              (u.Stats.TryGetValue("kl", out var klv) ? $", kl {klv:F4}" : "") + $", staleness {u.MeanStaleness:F2}");
                        }
                        if (every > 0 && state.Tick % every == 0) LearningCheckpoint.Save(outDir!, world);
                    }
                    return 0;
                });
            }
            catch (EmptyBatchException e) { throw new UsageException(e.Message); }
            double rlSeconds = rlClock.Elapsed.TotalSeconds;
            var final = EvaluationSystem.Evaluate(state);
            log.Evals.Add(final);
            report["final_solve_rate"] = final.PoolSolveRate ?? final.HeldOutSolveRate;
            report["final_heldout_solve_rate"] = final.HeldOutSolveRate;
            report["rl_seconds"] = rlSeconds;
            report["updates"] = state.PolicyVersion;
            report["episodes"] = log.EpisodesBuffered;
            report["episode_ids"] = new JsonObject { ["first"] = 0, ["next"] = state.NextEpisodeId, ["buffered"] = log.EpisodesBuffered };
            report["staleness_max"] = log.Updates.Count == 0 ? 0 : log.Updates.Max(u => u.MaxStaleness);
            report["weights_hash"] = learner.WeightsHash();
            report["levels"] = new JsonArray(log.Levels.Distinct().Select(x => (JsonNode?)x).ToArray());
            report["evals"] = new JsonArray(log.Evals.Select(e => (JsonNode?)new JsonObject
            {
                ["version"] = e.Version, ["heldout_solve_rate"] = e.HeldOutSolveRate, ["pool_solve_rate"] = e.PoolSolveRate,
                ["pass_at_k"] = e.PassAtK is { } pk ? new JsonObject(pk.Select(x => KeyValuePair.Create(x.Key.ToString(), (JsonNode?)x.Value))) : null,
                ["maj_at_k"] = e.MajAtK is { } mk ? new JsonObject(mk.Select(x => KeyValuePair.Create(x.Key.ToString(), (JsonNode?)x.Value))) : null,
            }).ToArray());
            report["curve"] = new JsonArray(log.Updates.Select(u => (JsonNode?)new JsonObject
            {
                ["version"] = u.Version, ["solve_rate"] = u.SolveRate, ["reward"] = Finite(u.Stats.GetValueOrDefault("reward", double.NaN)), ["loss"] = Finite(u.Stats.GetValueOrDefault("loss", double.NaN)),
                ["kl"] = Finite(u.Stats.GetValueOrDefault("kl", double.NaN)), ["entropy"] = Finite(u.Stats.GetValueOrDefault("entropy", double.NaN)),
            }).ToArray());
            if (log.RewardModel.Count > 0)
                report["online_rm_calibration"] = new JsonArray(log.RewardModel.Select(m => (JsonNode?)new JsonObject
                {
                    ["version"] = m.Version, ["step_ece"] = Finite(m.StepEce), ["step_auc"] = Finite(m.StepAuc),
                    ["outcome_ece"] = Finite(m.OutcomeEce), ["outcome_auc"] = Finite(m.OutcomeAuc), ["steps"] = m.Steps, ["loss"] = Finite(m.Loss),
                }).ToArray());
            if (outDir is not null)
            {
                learner.Save(Path.Combine(outDir, "final"));
                if (every > 0) LearningCheckpoint.Save(outDir, world);
            }

            // The control: the same SFT, continued on the same demonstrations for the RL phase's wall time.
            if (sft is not null && !ctx.Get(control))
            {
                int extra = Math.Max(1, (int)(rlSeconds / Math.Max(1e-6, sft.SecondsPerStep)));
                var controlLm = ctx.WithProgress("sft control", p => sft.Continue(demoRows!, extra, p));
                using var controlLearner = new TransformerLearner(controlLm);
                report["sft_control_solve_rate"] = EvaluationSystem.SolveRate(spec with { Learner = controlLearner }, state.HeldOut);
                report["sft_control_steps"] = extra;
            }
            if (pipeline.Profiler is { } prof)
                report["profile"] = new JsonArray(prof.Entries().Select(e => (JsonNode?)new JsonObject { ["system"] = e.Path, ["total_ms"] = e.TotalMs }).ToArray());
            writer?.Dispose(); // writes the footer; the replay is complete from here on
            report["seconds"] = total.Elapsed.TotalSeconds;
            if (ctx.Get(plot) is { } png) LearningPlot.SavePng(log, $"{o.Algo} on {env.Name} d{d}, {o.Policy}", png);
            if (ctx.Json) ctx.Out.WriteLine(report.ToJsonString());
            else
            {
                ctx.Out.WriteLine($"rl {o.Algo} ({o.Policy}) on {env.Name} d{d}: held-out greedy solve rate {initEval.HeldOutSolveRate:P1} -> {final.HeldOutSolveRate:P1} " +
                                  $"after {state.PolicyVersion} updates ({log.EpisodesBuffered} episodes, {rlSeconds:F0}s)");
                if (final.PoolSolveRate is { } pr) ctx.Out.WriteLine($"training pool: {initEval.PoolSolveRate:P1} -> {pr:P1}");
                if (report["sft_control_solve_rate"] is { } c) ctx.Out.WriteLine($"control (SFT continued for the same time): {(double)c:P1}");
                if (pipeline.Profiler is { } profiler) foreach (var e in profiler.Entries()) ctx.Out.WriteLine($"  {e.Path,-40} {e.TotalMs,10:F0} ms");
            }
            return ExitCodes.Ok;
        }, algo, policy, init, envName, difficulty, iterations, problems, samples, lr, kl, epochs, buffer, staleness, lengthPenalty, curriculum,
           evalEvery, heldOut, pool, pairs, output, checkpointEvery, resume, plot, quick, demos, sftSteps, control, reward, onlineRm, onlineEvery, onlineCoef, replay, evalSamples, device);
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private sealed record Options(string Algo, string Policy, bool Quick);
}
