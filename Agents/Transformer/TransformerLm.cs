using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Transformer;

/// <summary>
/// A <see cref="TransformerModel"/> with its <see cref="SimTokenizer"/> and device: batched step sampling with a KV cache,
/// teacher-forced log-probabilities, and checkpoints.
/// <para><b>Text layout.</b> A sequence is <c>&lt;|bos|&gt;</c>, the prompt, then the steps, each followed by the step
/// delimiter <c>"\n"</c>, and finally <c>&lt;|eos|&gt;</c>. Prompt and steps are encoded separately and concatenated, so
/// training and sampling see identical token boundaries.</para>
/// <para><b>Checkpoints</b> are folders: <c>config.json</c> (model shape plus free-form metadata), <c>tokenizer.json</c> and
/// <c>model.bin</c> (TorchSharp weights). Loading one gives bit-identical logits on the same device.</para>
/// </summary>
public sealed class TransformerLm : IDisposable
{
    /// <summary>Checkpoint format version.</summary>
    public const int CheckpointFormat = 1;

    /// <summary>The largest KV cache (keys and values, in bytes) kept between <see cref="SampleSteps"/> calls for reuse.</summary>
    public const long MaxSpareCacheBytes = 256L << 20;

    // Caches kept from the last SampleSteps call (decode rows, and shared prompt prefixes when K > 1), reused when big
    // enough: a fresh cache's first writes page-fault, which cost about a third of a 64-row prefill here.
    private KvCache? _spareCache, _sparePrefix;

    private TransformerLm(TransformerModel model, SimTokenizer tokenizer, Device device, JsonObject? metadata)
    {
        Model = model;
        Tokenizer = tokenizer;
        Device = device;
        Metadata = metadata ?? new JsonObject();
    }

    /// <summary>A freshly initialised model; <paramref name="seed"/> fixes the initial weights.</summary>
    public static TransformerLm Create(TransformerConfig config, SimTokenizer tokenizer, ulong seed, Device? device = null)
    {
        if (config.VocabSize != tokenizer.VocabSize)
            throw new ArgumentException($"config vocabulary {config.VocabSize} != tokenizer vocabulary {tokenizer.VocabSize}");
        var dev = device ?? TorchDevice.Default;
        torch.random.manual_seed((long)(seed & long.MaxValue));
        var model = new TransformerModel(config);
        model.to(dev);
        return new TransformerLm(model, tokenizer, dev, null);
    }

    /// <summary>The network.</summary>
    public TransformerModel Model { get; }

    /// <summary>The tokenizer.</summary>
    public SimTokenizer Tokenizer { get; }

    /// <summary>Where the weights live.</summary>
    public Device Device { get; }

    /// <summary>The shape.</summary>
    public TransformerConfig Config => Model.Config;

    /// <summary>Prompt tokens run through the model by <see cref="SampleSteps"/> so far (each context once, however many
    /// samples are drawn from it).</summary>
    public long PrefillTokens { get; private set; }

    /// <summary>Free-form metadata saved in the checkpoint's config (training data, steps, loss...).</summary>
    public JsonObject Metadata { get; }

    /// <summary>Token ids of <c>bos + prompt + steps</c>, each step followed by the delimiter.</summary>
    public int[] EncodeContext(string prompt, IReadOnlyList<string> steps)
    {
        var ids = new List<int>(64) { Tokenizer.BosId };
        ids.AddRange(Tokenizer.Encode(prompt));
        foreach (var s in steps) ids.AddRange(Tokenizer.Encode(s + SimTokenizer.StepDelimiter));
        return ids.ToArray();
    }

    /// <summary>
    /// Draws <see cref="SamplingSettings.Samples"/> next steps for every context, in one batch with a KV cache: results are
    /// grouped by context (K for context 0, then K for context 1...). Contexts longer than the model's context minus
    /// <see cref="SamplingSettings.MaxStepTokens"/> keep their last tokens. Random draws come from <paramref name="rng"/>.
    /// </summary>
    public SampledStep[] SampleSteps(IReadOnlyList<int[]> contexts, SamplingSettings settings, ref Rng rng)
    {
        settings.Validate();
        int k = settings.Samples, rows = contexts.Count * k;
        if (rows == 0) return [];
        int maxNew = Math.Min(settings.MaxStepTokens, Config.Context - 1);
        int keep = Config.Context - maxNew;
        int n = contexts.Count;
        var prompts = new int[n][];
        for (int i = 0; i < n; i++)
        {
            var c = contexts[i];
            if (c.Length == 0) throw new ArgumentException("empty context (it needs at least the bos token)");
            prompts[i] = c.Length > keep ? c[^keep..] : c;
        }
        int width = prompts.Max(p => p.Length);
        int v = Config.VocabSize;

        // Left-pad the prompts so that every row's next token sits at the same cache slot. Each context is prefilled
        // once; its K samples share that prefix (its keys and values are copied to their rows, never recomputed).
        var ids = new long[n * width];
        var pos = new long[n * width];
        var valid = new bool[n * width];
        var lengths = new int[rows];
        for (int i = 0; i < n; i++)
        {
            int pad = width - prompts[i].Length;
            for (int j = 0; j < prompts[i].Length; j++)
            {
                ids[i * width + pad + j] = prompts[i][j];
                pos[i * width + pad + j] = j;
                valid[i * width + pad + j] = true;
            }
            PrefillTokens += prompts[i].Length;
        }
        for (int r = 0; r < rows; r++) lengths[r] = prompts[r / k].Length;

        var tokens = new List<int>[rows];
        var logps = new List<float>[rows];
        var stop = new StopReason?[rows];
        for (int r = 0; r < rows; r++) { tokens[r] = new List<int>(); logps[r] = new List<float>(); }

        // Inference mode: no autograd bookkeeping (version counters, view tracking) on the ~100 tensors of each step.
        using var inference = inference_mode();
        // Host copies of each step's log-probs (for the returned per-token values) and, when drawing, of the tempered
        // probabilities: two block copies per step into buffers reused for the whole call.
        var logprobs = new float[rows * v];
        var probs = settings.Greedy ? null : new float[rows * v];
        var cache = RentCache(ref _spareCache, rows, width + maxNew);
        try
        {
            using (var scope = NewDisposeScope())
            {
                var prefix = k == 1 ? null : RentCache(ref _sparePrefix, n, width);
                try
                {
                    var target = prefix ?? cache;
                    using var validT = tensor(valid, [n, width], device: Device);
                    target.Valid.narrow(1, 0, width).copy_(validT);
                    var logits = Model.ForwardLast(tensor(ids, [n, width], device: Device), tensor(pos, [n, width], device: Device), target);
                    if (prefix is null) CopyDistributions(logits, settings, logprobs, probs);
                    else
                    {
                        var firstLp = new float[n * v];
                        var firstP = probs is null ? null : new float[n * v];
                        CopyDistributions(logits, settings, firstLp, firstP);
                        cache.LoadPrefix(prefix, k);
                        for (int r = 0; r < rows; r++)
                        {
                            Array.Copy(firstLp, (r / k) * v, logprobs, r * v, v);
                            if (firstP is not null) Array.Copy(firstP, (r / k) * v, probs!, r * v, v);
                        }
                    }
                }
                finally { if (prefix is not null) ReturnCache(ref _sparePrefix, prefix); }
            }
            DecodeLoop(cache, settings, ref rng, rows, maxNew, lengths, tokens, logps, stop, logprobs, probs);
        }
        finally { ReturnCache(ref _spareCache, cache); }

        var result = new SampledStep[rows];
        for (int r = 0; r < rows; r++)
        {
            var toks = tokens[r];
            int textLen = stop[r] == StopReason.Length ? toks.Count : toks.Count - 1;
            result[r] = new SampledStep(Tokenizer.Decode(toks.Take(textLen)), toks.ToArray(), logps[r].ToArray(), stop[r]!.Value);
        }
        return result;
    }

    // Draws one token per live row from the host copies, then decodes the drawn tokens, until every row has stopped.
    private void DecodeLoop(KvCache cache, SamplingSettings settings, ref Rng rng, int rows, int maxNew, int[] lengths,
        List<int>[] tokens, List<float>[] logps, StopReason?[] stop, float[] logprobs, float[]? probs)
    {
        int v = Config.VocabSize;
        var keys = probs is null || settings.TopP >= 1 ? null : new long[v];
        var stepIds = new long[rows];
        var stepPos = new long[rows];
        for (int t = 0; ; t++)
        {
            int active = 0;
            for (int r = 0; r < rows; r++)
            {
                if (stop[r] is not null) continue;
                var row = logprobs.AsSpan(r * v, v);
                int tok = probs is null ? ArgMax(row) : Draw(probs.AsSpan(r * v, v), settings.TopP, keys, ref rng);
                tokens[r].Add(tok);
                logps[r].Add(row[tok]);
                if (tok == Tokenizer.StepDelimiterId) stop[r] = StopReason.Delimiter;
                else if (tok == Tokenizer.EosId) stop[r] = StopReason.EndOfSequence;
                else if (tokens[r].Count >= maxNew || lengths[r] + 1 >= Config.Context) stop[r] = StopReason.Length;
                else active++;
            }
            if (active == 0) break;
            for (int r = 0; r < rows; r++)
            {
                bool live = stop[r] is null;
                stepIds[r] = live ? tokens[r][^1] : Tokenizer.PadId;
                stepPos[r] = live ? lengths[r] : 0;
                if (live) lengths[r]++;
            }
            // Model.Forward marks the new slot valid for every row: a stopped row then attends to its own padding, which
            // no live row ever sees (rows never attend to each other), and its output is ignored.
            using var scope = NewDisposeScope();
            var logits = Model.ForwardLast(tensor(stepIds, [rows, 1], device: Device), tensor(stepPos, [rows, 1], device: Device), cache);
            CopyDistributions(logits, settings, logprobs, probs);
        }
    }

    /// <summary>
    /// Teacher-forced log-probabilities: for each sequence, the log-probability of every token after the first
    /// <c>promptLengths[i]</c> tokens, under the model at temperature 1. Sequences are scored in one right-padded batch.
    /// </summary>
    public float[][] TokenLogProbs(IReadOnlyList<int[]> sequences, IReadOnlyList<int> promptLengths)
    {
        if (sequences.Count != promptLengths.Count) throw new ArgumentException("one prompt length per sequence");
        int n = sequences.Count;
        if (n == 0) return [];
        int width = sequences.Max(s => s.Length);
        if (width > Config.Context) throw new ArgumentException($"sequence of {width} tokens exceeds the context of {Config.Context}");
        var ids = new long[n * width];
        for (int i = 0; i < n; i++)
        {
            if (promptLengths[i] < 1 || promptLengths[i] > sequences[i].Length) throw new ArgumentException("prompt length must be in 1..sequence length");
            for (int j = 0; j < sequences[i].Length; j++) ids[i * width + j] = sequences[i][j];
        }
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var logits = Model.forward(tensor(ids, [n, width], device: Device));
        var lp = nn.functional.log_softmax(logits, -1).cpu();
        var all = lp.data<float>();
        int v = Config.VocabSize;
        var result = new float[n][];
        for (int i = 0; i < n; i++)
        {
            var s = sequences[i];
            result[i] = new float[s.Length - promptLengths[i]];
            for (int j = promptLengths[i]; j < s.Length; j++)
                result[i][j - promptLengths[i]] = all[((long)i * width + j - 1) * v + s[j]];
        }
        return result;
    }

    // log_softmax of logits [B, V] into logprobs and, unless greedy, softmax(logits / T) into probs (B·V floats each,
    // row-major), one block copy each: the element-wise TensorAccessor copy of data<float>().ToArray() cost about as
    // much as a transformer layer per decode step, and libtorch's vectorised exp is several times cheaper than Math.Exp
    // over every row on the host.
    private static void CopyDistributions(Tensor logits, SamplingSettings settings, float[] logprobs, float[]? probs)
    {
        using (var lp = nn.functional.log_softmax(logits, -1)) CopyToHost(lp, logprobs);
        if (probs is null) return;
        using var tempered = settings.Temperature == 1 ? null : logits.div(settings.Temperature);
        using var p = nn.functional.softmax(tempered ?? logits, -1);
        CopyToHost(p, probs);
    }

    private static void CopyToHost(Tensor t, float[] dst)
    {
        using var host = t.device_type == DeviceType.CPU && t.is_contiguous() ? null : t.cpu().contiguous();
        var src = MemoryMarshal.Cast<byte, float>((host ?? t).bytes);
        if (src.Length != dst.Length) throw new InvalidOperationException($"expected {dst.Length} values, got {src.Length}");
        src.CopyTo(dst);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    // Samples an id from one row of tempered probabilities, restricted to the top-p nucleus when keys is given (top-p
    // below 1), with our seeded stream (device-independent).
    internal static int Draw(ReadOnlySpan<float> p, double topP, long[]? keys, ref Rng rng)
    {
        int v = p.Length;
        double sum = 0;
        for (int i = 0; i < v; i++) sum += p[i];
        if (keys is null)
        {
            // No nucleus: the draw walks the ids in order.
            double u0 = rng.NextDouble() * sum, c0 = 0;
            for (int i = 0; i < v; i++)
            {
                c0 += p[i];
                if (u0 < c0) return i;
            }
            return v - 1;
        }
        // Sort by probability (descending, ties by id) and keep the smallest prefix whose mass reaches TopP. One 64-bit
        // key per id, the probability's bits (non-negative floats order like their bit patterns) inverted above the id,
        // so a plain integer sort gives that order without a comparison delegate.
        for (int i = 0; i < v; i++)
            keys[i] = ((long)(int.MaxValue - (BitConverter.SingleToInt32Bits(p[i]) & int.MaxValue)) << 32) | (uint)i;
        Array.Sort(keys);
        double acc = 0, mass = 0;
        int count;
        for (count = 0; count < v;)
        {
            acc += p[(int)keys[count++]] / sum;
            if (acc >= topP) break;
        }
        for (int i = 0; i < count; i++) mass += p[(int)keys[i]];
        double u = rng.NextDouble() * mass, c = 0;
        for (int i = 0; i < count; i++)
        {
            c += p[(int)keys[i]];
            if (u < c) return (int)keys[i];
        }
        return (int)keys[count - 1];
    }

    // The reused caches: taken for the length of one SampleSteps call (another call meanwhile gets a new one), put back
    // after it. A cache too small for the call is replaced by one with room for both.
    private KvCache RentCache(ref KvCache? slot, int batch, int capacity)
    {
        var spare = Interlocked.Exchange(ref slot, null);
        if (spare is not null && spare.MaxBatch >= batch && spare.Capacity >= capacity)
        {
            spare.Reset(batch);
            return spare;
        }
        int maxBatch = Math.Max(batch, spare?.MaxBatch ?? 0), maxCapacity = Math.Max(capacity, spare?.Capacity ?? 0);
        spare?.Dispose();
        if ((long)maxBatch * maxCapacity * Config.Width * Config.Layers * 2 * sizeof(float) > MaxSpareCacheBytes)
            (maxBatch, maxCapacity) = (batch, capacity);
        var cache = new KvCache(Config, maxBatch, maxCapacity, Device);
        if (maxBatch != batch) cache.Reset(batch);
        return cache;
    }

    // Keeps a cache for the next call unless it is larger than MaxSpareCacheBytes (a one-off huge batch is freed).
    private void ReturnCache(ref KvCache? slot, KvCache cache)
    {
        if ((long)cache.MaxBatch * cache.Capacity * Config.Width * Config.Layers * 2 * sizeof(float) > MaxSpareCacheBytes)
        {
            cache.Dispose();
            return;
        }
        Interlocked.Exchange(ref slot, cache)?.Dispose();
    }

    /// <summary>Saves a checkpoint folder (created if missing; its three files are replaced).</summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        var config = new JsonObject
        {
            ["format"] = CheckpointFormat,
            ["model"] = JsonSerializer.SerializeToNode(Config),
            ["metadata"] = Metadata.DeepClone(),
        };
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        Model.save(Path.Combine(dir, "model.bin"));
    }

    /// <summary>Loads a checkpoint folder written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or does not match the others.</exception>
    public static TransformerLm Load(string dir, Device? device = null)
    {
        if (!Directory.Exists(dir)) throw new FileNotFoundException($"checkpoint folder '{dir}' not found");
        string cfgPath = Path.Combine(dir, "config.json"), tokPath = Path.Combine(dir, "tokenizer.json"), binPath = Path.Combine(dir, "model.bin");
        foreach (var p in new[] { cfgPath, tokPath, binPath })
            if (!File.Exists(p)) throw new FileNotFoundException($"checkpoint file '{p}' not found");
        JsonObject cfg;
        TransformerConfig config;
        try
        {
            cfg = JsonNode.Parse(File.ReadAllText(cfgPath)) as JsonObject ?? throw new InvalidDataException("config.json is not an object");
            if ((int?)cfg["format"] != CheckpointFormat) throw new InvalidDataException($"unknown checkpoint format {cfg["format"]}");
            config = (cfg["model"] ?? throw new InvalidDataException("config.json has no model")).Deserialize<TransformerConfig>()
                     ?? throw new InvalidDataException("config.json model is null");
            config.Validate();
        }
        catch (JsonException ex) { throw new InvalidDataException($"config.json: {ex.Message}"); }
        catch (ArgumentException ex) { throw new InvalidDataException($"config.json: {ex.Message}"); }
        var tokenizer = SimTokenizer.Load(tokPath);
        if (tokenizer.VocabSize != config.VocabSize) throw new InvalidDataException("tokenizer and model disagree on the vocabulary size");
        var dev = device ?? TorchDevice.Default;
        var model = new TransformerModel(config);
        try { model.load(binPath, strict: true); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { throw new InvalidDataException($"model.bin: {ex.Message}"); }
        model.to(dev);
        return new TransformerLm(model, tokenizer, dev, cfg["metadata"]?.DeepClone() as JsonObject);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _spareCache, null)?.Dispose();
        Interlocked.Exchange(ref _sparePrefix, null)?.Dispose();
        Model.Dispose();
    }
}
