using System.Security.Cryptography;
using Sim.Agents.Policies;
using Sim.Agents.Transformer;
using Sim.Engine;
using Sim.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Learning.Learners;

/// <summary>
/// The TorchSharp transformer as a learner. It writes steps with <see cref="TransformerLm.SampleSteps"/> (batched over
/// open episodes, KV cache) and learns with AdamW on one right-padded batch per update: one forward pass with gradients
/// gives the log-probability of every step token, the algorithm's loss function turns them into coefficients on the
/// host, and one backward pass of Σ coef · log π applies them. Every update runs inside its own dispose scope. It has
/// no value head, so PPO (which needs one) refuses it.
/// </summary>
public sealed class TransformerLearner : ILearner
{
    private readonly TorchSharp.Modules.AdamW _optimizer;

    /// <summary>Wraps <paramref name="lm"/> (the learner owns it from here on).</summary>
    public TransformerLearner(TransformerLm lm, double weightDecay = 0.0, double gradClip = 1.0, int maxStepTokens = 40)
    {
        Lm = lm;
        // Rollouts write line by line, each round's contexts extending the last round's rows: reuse their cache.
        lm.ReuseCachedRows = true;
        GradClip = gradClip;
        MaxStepTokens = maxStepTokens;
        _optimizer = optim.AdamW(lm.Model.parameters(), lr: 1e-4, weight_decay: weightDecay);
    }

    /// <summary>The model.</summary>
    public TransformerLm Lm { get; }

    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public double GradClip { get; }

    /// <summary>Tokens per written line at most.</summary>
    public int MaxStepTokens { get; }

    /// <summary>Sequences per forward pass inside an update (the batch is split into micro-batches of this many, with
    /// gradients accumulated, so memory stays bounded for any batch).</summary>
    public int MicroBatch { get; init; } = 256;

    /// <inheritdoc />
    public string Name => "transformer";

    /// <inheritdoc />
    public int Version { get; private set; }

    /// <inheritdoc />
    public bool HasValueHead => false;

    /// <inheritdoc />
    public bool AnswersWithSteps => false;

    /// <summary>Tokens written by <see cref="Act"/> so far.</summary>
    public long SampledTokens { get; private set; }

    /// <summary>Tokens run through forward and backward by <see cref="Update"/> so far.</summary>
    public long TrainedTokens { get; private set; }

    /// <inheritdoc />
    public ExperienceStep[] Act(IReadOnlyList<OpenEpisode> open, bool greedy, ref Rng rng)
    {
        var result = new ExperienceStep[open.Count];
        var contexts = new List<int[]>(open.Count);
        var asked = new List<int>(open.Count);
        for (int i = 0; i < open.Count; i++)
        {
            var ctx = Lm.EncodeContext(open[i].Prompt, open[i].Lines);
            if (ctx.Length + MaxStepTokens > Lm.Config.Context)
            {
                result[i] = new ExperienceStep("", StepKind.Step, ctx, [], [], 0, VerdictKind.Malformed, Solvability.Unknown, EndsEpisode: true);
                continue;
            }
            contexts.Add(ctx);
            asked.Add(i);
        }
        var settings = new SamplingSettings(Greedy: greedy, MaxStepTokens: MaxStepTokens);
        // Batches of 256 rows keep the KV cache small.
        for (int b = 0; b < asked.Count; b += 256)
        {
            int n = Math.Min(256, asked.Count - b);
            var steps = Lm.SampleSteps(contexts.GetRange(b, n), settings, ref rng);
            for (int j = 0; j < n; j++)
            {
                var s = steps[j];
                var kind = StepProtocol.Classify(s.Text);
                SampledTokens += s.Tokens.Length;
                result[asked[b + j]] = new ExperienceStep(s.Text, kind, contexts[b + j], s.Tokens, s.TokenLogProbs, 0, VerdictKind.Ok,
                    Solvability.Unknown, EndsEpisode: kind != StepKind.Answer && s.Stop == StopReason.EndOfSequence);
            }
        }
        return result;
    }

    /// <summary>A completion written after <paramref name="prompt"/> as one step (its tokens plus the end token), for
    /// preference pairs read from a file.</summary>
    public ExperienceStep Encode(string prompt, string completion)
    {
        var ctx = Lm.EncodeContext(prompt, []);
        int[] units = [.. Lm.Tokenizer.Encode(completion), Lm.Tokenizer.EosId];
        if (ctx.Length + units.Length > Lm.Config.Context)
            throw new ArgumentException($"a prompt and completion of {ctx.Length + units.Length} tokens exceed the context of {Lm.Config.Context}");
        return new ExperienceStep(completion, StepProtocol.Classify(completion), ctx, units, new float[units.Length], 0, VerdictKind.Ok, Solvability.Unknown);
    }

    private static int[] Context(ExperienceStep s) =>
        s.Context as int[] ?? throw new ArgumentException("the step was not written by a transformer policy");

    /// <inheritdoc />
    public float[][] LogProbs(IReadOnlyList<ExperienceStep> steps) => ScoreUnder(Lm, steps);

    /// <summary>Log-probability of every unit of every step under <paramref name="lm"/>, without gradients.</summary>
    internal static float[][] ScoreUnder(TransformerLm lm, IReadOnlyList<ExperienceStep> steps)
    {
        var result = new float[steps.Count][];
        var seqs = new List<int[]>();
        var lens = new List<int>();
        var idx = new List<int>();
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i].Units.Length == 0) { result[i] = []; continue; }
            var ctx = Context(steps[i]);
            seqs.Add([.. ctx, .. steps[i].Units]);
            lens.Add(ctx.Length);
            idx.Add(i);
        }
        for (int b = 0; b < seqs.Count; b += 256)
        {
            int n = Math.Min(256, seqs.Count - b);
            var lp = lm.TokenLogProbs(seqs.GetRange(b, n), lens.GetRange(b, n));
            for (int j = 0; j < n; j++) result[idx[b + j]] = lp[j];
        }
        return result;
    }

    /// <inheritdoc />
    public float[]? Values(IReadOnlyList<ExperienceStep> steps) => null;

    /// <inheritdoc />
    public UpdateResult Update(IReadOnlyList<ExperienceStep> steps, LossFunction loss, double learningRate)
    {
        var model = Lm.Model;
        var live = Enumerable.Range(0, steps.Count).Where(i => steps[i].Units.Length > 0).ToArray();
        var lps = new float[steps.Count][];
        for (int i = 0; i < steps.Count; i++) lps[i] = [];
        foreach (var g in _optimizer.ParamGroups) g.LearningRate = learningRate;
        _optimizer.zero_grad();
        model.train();
        try
        {
            // Pass 1 (no gradients) gives the loss function the current log-probabilities of the whole batch, since a
            // loss may couple steps (DPO pairs, group baselines); pass 2 runs micro-batches with gradients and
            // backpropagates Σ coef · log π. Dropout is off in this model, so both passes see the same function.
            var scored = ScoreUnder(Lm, steps);
            for (int i = 0; i < steps.Count; i++) lps[i] = scored[i];
            var grad = loss(lps, null);
            long units = 0;
            for (int b = 0; b < live.Length; b += MicroBatch)
            {
                using var scope = NewDisposeScope();
                var chunk = live.AsSpan(b, Math.Min(MicroBatch, live.Length - b)).ToArray();
                int width = chunk.Max(i => Context(steps[i]).Length + steps[i].Units.Length) - 1;
                if (width + 1 > Lm.Config.Context) throw new ArgumentException($"a step of {width + 1} tokens exceeds the context of {Lm.Config.Context}");
                var x = new long[chunk.Length * width];
                var y = new long[chunk.Length * width];
                var c = new float[chunk.Length * width];
                for (int r = 0; r < chunk.Length; r++)
                {
                    var s = steps[chunk[r]];
                    var ctx = Context(s);
                    int len = ctx.Length + s.Units.Length;
                    for (int j = 0; j < len - 1; j++)
                    {
                        x[r * width + j] = j < ctx.Length ? ctx[j] : s.Units[j - ctx.Length];
                        int t = j + 1;
                        if (t >= ctx.Length)
                        {
                            y[r * width + j] = s.Units[t - ctx.Length];
                            c[r * width + j] = grad.PolicyGrad[chunk[r]][t - ctx.Length];
                            units++;
                        }
                    }
                    TrainedTokens += len - 1;
                }
                var logits = model.forward(tensor(x, [chunk.Length, width], device: Lm.Device));
                var lp = nn.functional.log_softmax(logits, -1).gather(-1, tensor(y, [chunk.Length, width, 1], device: Lm.Device)).squeeze(-1);
                (lp * tensor(c, [chunk.Length, width], device: Lm.Device)).sum().backward();
            }
            double norm = GradClip > 0 ? nn.utils.clip_grad_norm_(model.parameters(), GradClip) : GradNorm(model);
            _optimizer.step();
            Lm.WeightsChanged();
            Version++;
            return new UpdateResult(grad.Loss, norm, units);
        }
        finally { model.eval(); }
    }

    private static double GradNorm(nn.Module model)
    {
        using var scope = NewDisposeScope();
        double sum = 0;
        foreach (var p in model.parameters()) if (p.grad is { } g) sum += g.pow(2).sum().item<float>();
        return Math.Sqrt(sum);
    }

    /// <inheritdoc />
    public IFrozenPolicy Freeze()
    {
        var copy = TransformerLm.Create(Lm.Config, Lm.Tokenizer, 0, Lm.Device);
        using (no_grad())
        {
            var src = Lm.Model.parameters().ToArray();
            var dst = copy.Model.parameters().ToArray();
            for (int i = 0; i < src.Length; i++) dst[i].copy_(src[i]);
        }
        copy.Model.eval();
        return new Frozen(copy);
    }

    private sealed class Frozen(TransformerLm lm) : IFrozenPolicy
    {
        public float[][] LogProbs(IReadOnlyList<ExperienceStep> steps) => ScoreUnder(lm, steps);
        public void Dispose() => lm.Dispose();
    }

    /// <inheritdoc />
    public void Save(string dir)
    {
        Lm.Metadata["learner_version"] = Version;
        Lm.Save(dir);
        _optimizer.save_state_dict(Path.Combine(dir, "optimizer.bin"));
    }

    /// <inheritdoc />
    public void Load(string dir)
    {
        using var loaded = TransformerLm.Load(dir, Lm.Device);
        if (loaded.Config != Lm.Config)
            throw new InvalidDataException($"{dir} holds a transformer of another architecture ({Describe(loaded.Config)}; this one is {Describe(Lm.Config)})");
        using (no_grad())
        {
            var src = loaded.Model.parameters().ToArray();
            var dst = Lm.Model.parameters().ToArray();
            for (int i = 0; i < src.Length; i++) dst[i].copy_(src[i]);
        }
        Lm.WeightsChanged();
        Version = (int?)loaded.Metadata["learner_version"] ?? 0;
        string opt = Path.Combine(dir, "optimizer.bin");
        if (File.Exists(opt)) _optimizer.load_state_dict(opt);
    }

    private static string Describe(TransformerConfig c) => $"{c.Layers} layers, width {c.Width}, {c.Heads} heads, context {c.Context}";

    /// <inheritdoc />
    public string WeightsHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in Lm.Model.parameters())
        {
            var data = p.detach().cpu().data<float>().ToArray();
            var bytes = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            sha.AppendData(bytes);
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        Lm.Dispose();
    }
}
