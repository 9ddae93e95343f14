using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sim.Agents.Data;
using Sim.Agents.Demonstrators;
using Sim.Agents.Scoring;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using Sim.Environments.Judge;
using Sim.Systems.Search;

namespace Sim.Cli.Commands;

// `sim train rm --kind bt|irl`: rewards learned from preferences and from demonstrations, judged by their agreement with
// the gold reward on held-out data. Train and held-out problems come from the same disjoint seed ranges as the other
// kinds'; a pairs file is split by a hash of each row's prompt.
public static partial class TrainCommand
{
    private sealed record LearnedRewardArgs(string Env, string? Pairs, string? Demos, string Policy, int Problems, int Rollouts, int? Difficulty,
        int Steps, int Batch, double Lr, int Layers, int Width, int Heads, int? Context, string Device, string Out);

    private static readonly JsonSerializerOptions NamedFloats = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static int LearnedReward(CliContext ctx, ScorerKind kind, LearnedRewardArgs a)
    {
        bool fromFile = a.Pairs is not null;
        IEnvironment? env = fromFile ? null : EnvironmentRegistry.Default.Get(a.Env);
        if (env is not null && !env.HasReferenceSolver) throw new UsageException($"'{env.Name}' has no reference solver for the rollout policy");
        if (a.Problems < 1 || a.Rollouts < 1) throw new UsageException("--problems and --rollouts must be >= 1");
        if (kind == ScorerKind.Preference && env is not null && env is not JudgeEnvironment && a.Rollouts < 2)
            throw new UsageException("--rollouts must be >= 2: pairs are a correct and a wrong answer to the same problem");
        int d = 0;
        if (env is not null)
        {
            var covered = a.Demos is not null ? JsonlDataset.Difficulties(a.Demos) : new SortedDictionary<int, int>();
            d = a.Difficulty ?? (covered.Count == 1 ? covered.Keys.First() : env.Difficulty.Default);
            env.Difficulty.Check(d);
        }
        var dev = TorchDevice.Parse(a.Device);
        var tokenizer = SimTokenizer.CreateDefault();
        TransformerConfig shape;
        RewardModelConfig cfg;
        try
        {
            // Judge answers are English spelled mostly letter by letter: a trajectory of a few sentences and the answer
            // that repeats them needs a few hundred tokens.
            int context = a.Context ?? (env is JudgeEnvironment ? 384 : 128);
            shape = new TransformerConfig(tokenizer.VocabSize, a.Layers, a.Width, a.Heads, context).Validate();
            cfg = new RewardModelConfig(a.Steps, a.Batch, a.Lr, Seed: ctx.Seed).Validate();
        }
        catch (ArgumentException ex) { throw new UsageException(ex.Message); }
        var sampler = env is null ? null : new PolicySampler(PolicySpec.Parse(a.Policy));
        Problem[] Problems(ulong offset, int count) =>
            Enumerable.Range(0, count).Select(i => env!.Sample(offset + ctx.Seed * DataCommand.SeedStride + (ulong)i, d)).ToArray();
        var trainProblems = env is null ? [] : Problems(0, a.Problems);
        var testProblems = env is null ? [] : Problems(1UL << 61, Math.Max(50, a.Problems / 4));

        using var model = RewardModel.Create(kind, shape, tokenizer, ctx.Seed, dev);
        var sw = Stopwatch.StartNew();
        List<float> losses;
        string src;
        int trainCount, testCount;
        double agreementGold, agreementJudge = double.NaN, auc = double.NaN;
        int goldPairs, aucCount = 0, cut;
        if (kind == ScorerKind.Preference)
        {
            List<PreferencePair> train, test;
            List<LabelledTrajectory>? testSamples = null;
            if (fromFile)
            {
                src = "pairs";
                var all = PreferenceData.Read(a.Pairs!);
                (train, test) = Split(all);
            }
            else
            {
                var judge = env as JudgeEnvironment;
                src = judge is not null ? "judge" : "verifier";
                Func<List<LabelledTrajectory>, ulong, List<PreferencePair>> pairsOf = judge is not null
                    ? (s, seed) => PreferenceData.FromJudge(judge, s, seed)
                    : (s, _) => PreferenceData.FromOutcomes(s);
                train = pairsOf(sampler!.Generate(env!, trainProblems, a.Rollouts, ctx.Seed), ctx.Seed);
                testSamples = sampler.Generate(env!, testProblems, a.Rollouts, ctx.Seed + 1);
                test = pairsOf(testSamples, ctx.Seed + 1);
                if (train.Count == 0)
                    throw new UsageException(judge is not null ? "the policy's samples gave no pair of distinct answers; raise --rollouts or --problems"
                        : "the policy's samples gave no problem with both a correct and a wrong answer; raise --rollouts or --problems, or change --policy");
            }
            model.TrainedOn = TrainedOn(env, d, a, src);
            try { losses = ctx.WithProgress("rm bt", progress => model.TrainPreferences(train, cfg, (s, _) => progress((double)s / cfg.Steps))); }
            catch (ArgumentException ex) { throw new UsageException($"{ex.Message}; raise --context"); }
            if (testSamples is not null) (auc, aucCount) = GoldAuc(model, testSamples);
            var rc = model.Rewards(test.Select(p => p.Chosen).ToArray());
            var rr = model.Rewards(test.Select(p => p.Rejected).ToArray());
            // The labeller's preference (the judge's verdict, the verifier or the file), and the gold one where it differs.
            double labeller = PreferenceData.Agreement(test.Select((p, i) => ((double)rc[i], (double)rr[i])));
            var gold = test.Select((p, i) => (p, i)).Where(x => x.p.GoldPrefersChosen is not null)
                .Select(x => x.p.GoldPrefersChosen!.Value ? ((double)rc[x.i], (double)rr[x.i]) : (rr[x.i], rc[x.i])).ToList();
            agreementGold = PreferenceData.Agreement(gold);
            goldPairs = gold.Count;
            if (src == "judge") agreementJudge = labeller;
            cut = test.Count(p => !model.Fits(p.Chosen) || !model.Fits(p.Rejected));
            trainCount = train.Count;
            testCount = test.Count;
        }
        else
        {
            src = a.Demos is not null ? "demos" : "reference";
            List<TextTrajectory> expert;
            if (a.Demos is not null) expert = JsonlDataset.Read(a.Demos).Select(r => TextTrajectory.Parse(r.Prompt, r.Completion)).Where(t => t.Lines.Count > 0).ToList();
            else
            {
                var demonstrator = new Demonstrator();
                var rng = new Rng(StableHash.Mix(ctx.Seed ^ 0xDE30));
                expert = trainProblems.Select(p => demonstrator.Demonstrate(env!, p, DemoStyle.Optimal, ref rng)).OfType<PromptCompletion>()
                    .Select(r => TextTrajectory.Parse(r.Prompt, r.Completion)).ToList();
            }
            var samples = sampler!.Generate(env!, trainProblems, a.Rollouts, ctx.Seed).Select(t => TextTrajectory.Of(t.Env, t.Problem, t.Lines)).ToList();
            model.TrainedOn = TrainedOn(env, d, a, src);
            try { losses = ctx.WithProgress("rm irl", progress => model.TrainDiscriminator(expert, samples, cfg, (s, _) => progress((double)s / cfg.Steps))); }
            catch (ArgumentException ex) { throw new UsageException($"{ex.Message}; raise --context or check the demonstrations"); }
            var test = sampler.Generate(env!, testProblems, a.Rollouts, ctx.Seed + 1);
            (auc, aucCount) = GoldAuc(model, test);
            var gold = test.Select(PreferenceData.Gold).ToArray();
            var r = model.Rewards(test.Select(t => TextTrajectory.Of(t.Env, t.Problem, t.Lines)).ToArray());
            var pairs = PreferenceData.GoldPairs(test, gold);
            agreementGold = PreferenceData.Agreement(pairs.Select(p => ((double)r[p.Better], (double)r[p.Worse])));
            goldPairs = pairs.Count;
            cut = test.Count(t => !model.Fits(TextTrajectory.Of(t.Env, t.Problem, t.Lines)));
            trainCount = expert.Count + samples.Count;
            testCount = test.Count;
        }
        double seconds = sw.Elapsed.TotalSeconds;
        model.Save(a.Out);
        double finalLoss = losses.Count == 0 ? double.NaN : losses.Skip(Math.Max(0, losses.Count - 20)).Where(float.IsFinite).DefaultIfEmpty(float.NaN).Average();
        string? policy = env is null ? null : a.Policy;
        if (ctx.Json)
        {
            var o = new JsonObject
            {
                ["kind"] = model.Name, ["env"] = env?.Name, ["difficulty"] = env is null ? null : d, ["policy"] = policy, ["source"] = src,
                ["data"] = a.Pairs ?? a.Demos,
                [kind == ScorerKind.Preference ? "train_pairs" : "train_trajectories"] = trainCount,
                [kind == ScorerKind.Preference ? "test_pairs" : "test_trajectories"] = testCount,
                ["steps"] = cfg.Steps, ["final_loss"] = Num(finalLoss), ["seconds"] = seconds,
                ["agreement_gold"] = Num(agreementGold), ["gold_pairs"] = goldPairs,
                // Held-out pairs (bt) or samples (irl) with a trajectory whose last line is past the context.
                ["test_cut"] = cut,
            };
            if (kind == ScorerKind.Preference) o["agreement_judge"] = Num(agreementJudge);
            o["outcome_auc"] = Num(auc);
            o["outcome_count"] = aucCount;
            ctx.Out.WriteLine(o.ToJsonString(NamedFloats));
        }
        else
        {
            string what = kind == ScorerKind.Preference ? $"{trainCount} {src} pairs" : $"{trainCount} trajectories ({src} demonstrations and {a.Policy} samples)";
            ctx.Out.WriteLine($"rm {model.Name}: {cfg.Steps} steps on {what} in {seconds:F0}s, final loss {finalLoss:F4}; saved {a.Out}");
            ctx.Out.WriteLine($"held-out agreement with gold: {agreementGold:F3} ({goldPairs} pairs)" +
                              (kind == ScorerKind.Preference && src == "judge" ? $"; with the judge: {agreementJudge:F3} ({testCount} pairs)" : ""));
            if (cut > 0) ctx.Err.WriteLine($"warning: {cut} held-out {(kind == ScorerKind.Preference ? "pairs have a trajectory" : "samples have")} past the context of {shape.Context} tokens, scored at an earlier line; raise --context");
            if (aucCount > 0) ctx.Out.WriteLine($"held-out AUC of the reward for gold-positive samples: {auc:F4} ({aucCount} samples)");
        }
        return ExitCodes.Ok;
    }

    // NaN as null: JSON has no NaN, and every other key of the command writes numbers.
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject TrainedOn(IEnvironment? env, int d, LearnedRewardArgs a, string src)
    {
        var o = new JsonObject { ["source"] = src };
        if (env is not null)
        {
            o["env"] = env.Name;
            o["difficulty"] = d;
            o["policy"] = a.Policy;
            o["problems"] = a.Problems;
            o["rollouts"] = a.Rollouts;
        }
        if ((a.Pairs ?? a.Demos) is { } data) o["data"] = Path.GetFullPath(data);
        return o;
    }

    // Held-out pairs: those whose prompt hashes into one fifth (so no held-out prompt was trained on), or every fifth
    // row when that leaves a side empty.
    private static (List<PreferencePair> Train, List<PreferencePair> Test) Split(List<PreferencePair> all)
    {
        bool Held(PreferencePair p) => StableHash.Of(p.Chosen.Prompt) % 5 == 0;
        var test = all.Where(Held).ToList();
        var train = all.Where(p => !Held(p)).ToList();
        if (train.Count > 0 && test.Count > 0) return (train, test);
        return (all.Where((_, i) => i % 5 != 4).ToList(), all.Where((_, i) => i % 5 == 4).ToList());
    }

    // AUC of the learned reward for samples with gold reward 1 (a verified-correct answer; on judge, one that makes every
    // key point) against the rest; raw rewards rank, so no sigmoid saturates into ties.
    private static (double Auc, int Count) GoldAuc(RewardModel model, IReadOnlyList<LabelledTrajectory> samples)
    {
        var r = model.Rewards(samples.Select(t => TextTrajectory.Of(t.Env, t.Problem, t.Lines)).ToArray());
        var keep = Enumerable.Range(0, samples.Count).Where(i => !float.IsNaN(r[i])).ToArray();
        var report = CalibrationReport.Compute(keep.Select(i => (double)r[i]).ToArray(), keep.Select(i => PreferenceData.Gold(samples[i]) >= 1).ToArray());
        return (report.Auc, report.Count);
    }
}
