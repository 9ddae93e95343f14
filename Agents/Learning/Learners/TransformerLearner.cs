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
/// open episodes, KV cache, each line continuing its episode's exact tokens) and learns with AdamW: an episode's lines
/// are packed into one sequence, one forward pass with gradients over right-padded micro-batches of them gives the
/// log-probability of every step token, the algorithm's loss function turns those into coefficients on the host, and
/// one backward pass of Σ coef · log π applies them. Every update runs inside its own dispose scope. It has no value
/// head, so PPO (which needs one) refuses it.
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

    /// <summary>Packed sequences per forward pass inside an update (the batch is split into micro-batches of this many).</summary>
    public int MicroBatch { get; init; } = 64;

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
            var ctx = Continue(open[i]);
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

    // The context of an episode's next line: its last step's context and tokens, closed with the delimiter when the
    // line was cut at the cap; the prompt encoded afresh at the start. Conditioning on the sampled tokens themselves,
    // not on a re-encoding of their text, keeps training on exactly what was sampled, lets an episode's steps pack
    // into one sequence, and lets the sampler continue its cached rows.
    private int[] Continue(OpenEpisode ep)
    {
        if (ep.Last is not { Context: int[] ctx } last) return Lm.EncodeContext(ep.Prompt, ep.Lines);
        int delimiter = Lm.Tokenizer.StepDelimiterId;
        bool closed = last.Units.Length > 0 && last.Units[^1] == delimiter;
        return closed ? [.. ctx, .. last.Units] : [.. ctx, .. last.Units, delimiter];
    }

    private static int[] Context(ExperienceStep s) =>
        s.Context as int[] ?? throw new ArgumentException("the step was not written by a transformer policy");

    /// <inheritdoc />
    public float[][] LogProbs(IReadOnlyList<ExperienceStep> steps) => ScoreUnder(Lm, steps);

    // One packed sequence: the tokens, and where each step's units start in it.
    private sealed record Packed(List<int> Tokens, List<(int Step, int Start)> Spans);

    // Packs steps into sequences: a step whose context extends the previous step's context and units (the next line of
    // the same episode) continues its sequence, so an episode costs one pass over its final length instead of one pass
    // per line over a growing context. Steps whose contexts do not line up start a new sequence.
    private static List<Packed> Pack(IReadOnlyList<ExperienceStep> steps)
    {
        var packs = new List<Packed>();
        Packed? open = null;
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (s.Units.Length == 0) continue;
            var ctx = Context(s);
            bool continues = open is not null && open.Tokens.Count <= ctx.Length
                && ctx.AsSpan(0, open.Tokens.Count).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(open.Tokens));
            if (!continues)
            {
                open = new Packed([.. ctx], []);
                packs.Add(open);
            }
            else open!.Tokens.AddRange(ctx.AsSpan(open.Tokens.Count).ToArray()); // e.g. the delimiter after a line cut at the cap
            open!.Spans.Add((i, open.Tokens.Count));
            open.Tokens.AddRange(s.Units);
        }
        return packs;
    }

    // Inputs and targets of a micro-batch of packed sequences, right-padded: position j predicts token j + 1.
    private static (long[] X, long[] Y, int Width) Batch(List<Packed> packs)
    {
        int width = packs.Max(p => p.Tokens.Count) - 1;
        var x = new long[packs.Count * width];
        var y = new long[packs.Count * width];
        for (int r = 0; r < packs.Count; r++)
        {
            var t = packs[r].Tokens;
            for (int j = 0; j < t.Count - 1; j++) { x[r * width + j] = t[j]; y[r * width + j] = t[j + 1]; }
        }
        return (x, y, width);
    }

    // Log-probability of every token of a micro-batch ([rows, width]), with or without gradients (the caller's mode).
    private static Tensor TokenLogProbs(TransformerLm lm, long[] x, long[] y, int rows, int width)
    {
        var logits = lm.Model.forward(tensor(x, [rows, width], device: lm.Device));
        return nn.functional.log_softmax(logits, -1).gather(-1, tensor(y, [rows, width, 1], device: lm.Device)).squeeze(-1);
    }

    // Copies each step's unit log-probabilities out of a micro-batch's [rows, width] host array.
    private static void Scatter(List<Packed> packs, IReadOnlyList<ExperienceStep> steps, float[] lp, int width, float[][] result)
    {
        for (int r = 0; r < packs.Count; r++)
            foreach (var (step, start) in packs[r].Spans)
            {
                var units = steps[step].Units;
                var dst = new float[units.Length];
                for (int u = 0; u < units.Length; u++) dst[u] = lp[r * width + start + u - 1];
                result[step] = dst;
            }
    }

    private static void Check(TransformerLm lm, List<Packed> packs)
    {
        int longest = packs.Max(p => p.Tokens.Count);
        if (longest > lm.Config.Context) throw new ArgumentException($"a sequence of {longest} tokens exceeds the context of {lm.Config.Context}");
    }

    /// <summary>Log-probability of every unit of every step under <paramref name="lm"/>, without gradients.</summary>
    internal static float[][] ScoreUnder(TransformerLm lm, IReadOnlyList<ExperienceStep> steps, int microBatch = 64)
    {
        var result = new float[steps.Count][];
        for (int i = 0; i < steps.Count; i++) result[i] = [];
        var packs = Pack(steps);
        if (packs.Count == 0) return result;
        Check(lm, packs);
        using var inference = inference_mode();
        for (int b = 0; b < packs.Count; b += microBatch)
        {
            using var scope = NewDisposeScope();
            var chunk = packs.GetRange(b, Math.Min(microBatch, packs.Count - b));
            var (x, y, width) = Batch(chunk);
            var lp = TokenLogProbs(lm, x, y, chunk.Count, width).cpu().data<float>().ToArray();
            Scatter(chunk, steps, lp, width, result);
        }
        return result;
    }

    /// <inheritdoc />
    public float[]? Values(IReadOnlyList<ExperienceStep> steps) => null;

    /// <inheritdoc />
    public UpdateResult Update(IReadOnlyList<ExperienceStep> steps, LossFunction loss, double learningRate)
    {
        var model = Lm.Model;
        var lps = new float[steps.Count][];
        for (int i = 0; i < steps.Count; i++) lps[i] = [];
        var packs = Pack(steps);
        if (packs.Count > 0) Check(Lm, packs);
        foreach (var g in _optimizer.ParamGroups) g.LearningRate = learningRate;
        _optimizer.zero_grad();
        model.train();
        try
        {
            // One forward pass with gradients over every micro-batch; the loss function sees the log-probabilities
            // of the whole batch at once (a loss may couple steps: DPO pairs, group baselines); then one backward pass
            // of Σ coef · log π through all of them.
            using var scope = NewDisposeScope();
            var parts = new List<(Tensor Lp, List<Packed> Chunk, int Width)>();
            for (int b = 0; b < packs.Count; b += MicroBatch)
            {
                var chunk = packs.GetRange(b, Math.Min(MicroBatch, packs.Count - b));
                var (x, y, width) = Batch(chunk);
                var lp = TokenLogProbs(Lm, x, y, chunk.Count, width);
                Scatter(chunk, steps, lp.detach().cpu().data<float>().ToArray(), width, lps);
                parts.Add((lp, chunk, width));
                TrainedTokens += chunk.Sum(p => p.Tokens.Count - 1);
            }
            var grad = loss(lps, null);
            long units = 0;
            Tensor? total = null;
            foreach (var (lp, chunk, width) in parts)
            {
                var c = new float[chunk.Count * width];
                for (int r = 0; r < chunk.Count; r++)
                    foreach (var (step, start) in chunk[r].Spans)
                    {
                        var g = grad.PolicyGrad[step];
                        for (int u = 0; u < g.Length; u++) c[r * width + start + u - 1] = g[u];
                        units += g.Length;
                    }
                var term = (lp * tensor(c, [chunk.Count, width], device: Lm.Device)).sum();
                total = total is null ? term : total + term;
            }
            total?.backward();
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
