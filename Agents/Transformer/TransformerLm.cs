using System.Buffers;
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
    private readonly KvCache?[] _spareCaches = new KvCache?[MaxSamplingGroups], _sparePrefixes = new KvCache?[MaxSamplingGroups];

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
        int v = Config.VocabSize;
        var lengths = new int[rows];
        var tokens = new List<int>[rows];
        var logps = new List<float>[rows];
        var stop = new StopReason?[rows];
        for (int r = 0; r < rows; r++) { tokens[r] = new List<int>(); logps[r] = new List<float>(); }

        // Host copies of each step's log-probs (for the returned per-token values) and, when drawing, of the tempered
        // probabilities: two block copies per step into buffers reused for the whole call, pooled across calls (fresh
        // large arrays would land on the large-object heap at every call).
        float[] lpBuffer = ArrayPool<float>.Shared.Rent(rows * v);
        float[]? pBuffer = settings.Greedy ? null : ArrayPool<float>.Shared.Rent(rows * v);

        bool cpu = Device.type == DeviceType.CPU;
        int savedThreads = cpu ? get_num_threads() : 1;
        if (savedThreads != 1) set_num_threads(1);
        DecodeGroup[] groups = [];
        try
        {
            var continued = ReuseCachedRows && k == 1 && !_weightsChanged ? TakeContinuation(prompts, maxNew) : null;
            _weightsChanged = false;
            if (continued is not null)
            {
                groups = continued.Value.Groups;
                var cached = continued.Value.CachedLengths;
                for (int r = 0; r < rows; r++)
                {
                    lengths[r] = prompts[r].Length;
                    PrefillTokens += prompts[r].Length - cached[r];
                }
                RunGroups(groups, g => PrefillContinuation(groups[g], prompts, cached, settings, lpBuffer, pBuffer));
            }
            else
            {
                int width = prompts.Max(p => p.Length);
                // Left-pad the prompts so that every row's next token sits at the same cache slot. Each context is
                // prefilled once; its K samples share that prefix (its keys and values are copied to their rows, never
                // recomputed).
                var ids = new long[n * width];
                var pos = new long[n * width];
                var valid = new bool[n * width];
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

                // On the CPU the rows are split into groups of whole contexts, decoded side by side on their own
                // threads with libtorch's intra-op threads at 1 meanwhile (see "Sampling performance" in
                // docs/agents.md). The split depends only on the number of contexts, never on the machine, so results
                // do not depend on the core count.
                int groupCount = cpu ? Math.Max(1, Math.Min(Math.Min(Math.Clamp(SamplingGroups, 1, MaxSamplingGroups), n), rows / MinRowsPerGroup)) : 1;
                // Rows kept for a continuation need room for the lines after this one (slots are not positions: a
                // continuation's padding and the slots a stopped row was fed padding into take room too).
                int capacity = ReuseCachedRows ? Math.Max(width + maxNew, ReuseCapacity) : width + maxNew;
                groups = new DecodeGroup[groupCount];
                for (int g = 0; g < groupCount; g++)
                {
                    int c0 = (int)((long)n * g / groupCount), c1 = (int)((long)n * (g + 1) / groupCount);
                    groups[g] = new DecodeGroup(g, c0, c1, k, RentCache(ref _spareCaches[g], (c1 - c0) * k, capacity));
                }
                RunGroups(groups, g => Prefill(groups[g], g, settings, ids, pos, valid, width, lpBuffer, pBuffer));
            }
            foreach (var grp in groups) grp.PrefillEnd = grp.Cache.Length;
            DecodeLoop(groups, settings, ref rng, rows, maxNew, lengths, tokens, logps, stop, lpBuffer, pBuffer);
            if (ReuseCachedRows)
                foreach (var grp in groups) grp.Cache.Rows = CachedRows(grp, prompts, k, tokens);
        }
        finally
        {
            if (savedThreads != 1) set_num_threads(savedThreads);
            foreach (var group in groups)
                if (group is not null) ReturnCache(ref _spareCaches[group.Index], group.Cache);
            ArrayPool<float>.Shared.Return(lpBuffer);
            if (pBuffer is not null) ArrayPool<float>.Shared.Return(pBuffer);
        }

        var result = new SampledStep[rows];
        for (int r = 0; r < rows; r++)
        {
            var toks = tokens[r];
            int textLen = stop[r] == StopReason.Length ? toks.Count : toks.Count - 1;
            result[r] = new SampledStep(Tokenizer.Decode(toks.Take(textLen)), toks.ToArray(), logps[r].ToArray(), stop[r]!.Value);
        }
        return result;
    }

    /// <summary>Row groups decoded side by side on the CPU (each on its own thread, with libtorch's intra-op threads set
    /// to 1 during the call); 1 decodes one batch. A call uses at most one group per context and per 8 rows, and at most
    /// <see cref="MaxSamplingGroups"/>.</summary>
    public int SamplingGroups { get; set; } = 2;

    /// <summary>The most row groups <see cref="SamplingGroups"/> may ask for.</summary>
    public const int MaxSamplingGroups = 8;

    // Rows per group at the least: smaller GEMMs lose more than a second core gains.
    private const int MinRowsPerGroup = 8;

    /// <summary>
    /// Whether a call whose contexts extend, in order, rows of the previous call (each context a row's context plus at
    /// least its sampled tokens, as a rollout that samples line by line makes them) reuses those rows' cached keys and
    /// values, running only the new tokens through the model instead of every context again. Off by default.
    /// <para>Applies to one sample per context (<see cref="SamplingSettings.Samples"/> = 1; the previous call may have
    /// drawn any number), and while the contexts fit without being cut and the caches have room; otherwise a call
    /// prefills as usual. Keys computed one token at a time round differently from a prefill's in the last bits
    /// (log-probs agree to about 1e-6), so a continued call's results depend on the calls before it: deterministic for
    /// the same sequence of calls, but not always byte-identical to the same call made alone.</para>
    /// </summary>
    public bool ReuseCachedRows { get; set; }

    private bool _weightsChanged;

    /// <summary>Tells the model its weights changed (an optimiser step): the next <see cref="SampleSteps"/> call
    /// prefills afresh, since keys and values cached under the old weights no longer hold.</summary>
    public void WeightsChanged() => _weightsChanged = true;

    // Slots of a cache kept for continuations (positions stop at the context; each line adds its padding on top).
    private int ReuseCapacity => 2 * Config.Context;

    // The caches of the previous call when every context extends one of their rows, in order: their rows cut down to
    // the continued ones, in groups of those rows, with the number of each row's tokens already cached. Null (and the
    // caches left where they were) when any context does not.
    private (DecodeGroup[] Groups, int[] CachedLengths)? TakeContinuation(int[][] contexts, int maxNew)
    {
        int n = contexts.Length;
        var taken = new KvCache?[MaxSamplingGroups];
        for (int g = 0; g < MaxSamplingGroups; g++) taken[g] = Interlocked.Exchange(ref _spareCaches[g], null);
        var plan = new List<(int G, int C0, int[] Rows, int[] Ends)>();
        var cachedLengths = new int[n];
        int i = 0;
        bool fits = true;
        for (int g = 0; g < MaxSamplingGroups && i < n && fits; g++)
        {
            if (taken[g]?.Rows is not { } held) continue;
            var kept = new List<int>();
            var ends = new List<int>();
            int c0 = i, widest = 0;
            for (int r = 0; r < held.Length && i < n; r++)
            {
                var (cachedTokens, end) = held[r];
                var c = contexts[i];
                if (c.Length <= cachedTokens.Length || !c.AsSpan(0, cachedTokens.Length).SequenceEqual(cachedTokens)) continue;
                kept.Add(r);
                ends.Add(end);
                cachedLengths[i] = cachedTokens.Length;
                widest = Math.Max(widest, c.Length - cachedTokens.Length);
                i++;
            }
            if (kept.Count == 0) continue;
            fits = taken[g]!.Length + widest + maxNew <= taken[g]!.Capacity;
            plan.Add((g, c0, kept.ToArray(), ends.ToArray()));
        }
        if (i < n || !fits || plan.Count == 0)
        {
            for (int g = 0; g < MaxSamplingGroups; g++)
                if (taken[g] is { } cache) ReturnCache(ref _spareCaches[g], cache);
            return null;
        }
        var groups = new DecodeGroup[plan.Count];
        for (int p = 0; p < plan.Count; p++)
        {
            var (g, c0, rows, ends) = plan[p];
            var cache = taken[g]!;
            taken[g] = null;
            cache.KeepRows(rows, ends);
            groups[p] = new DecodeGroup(g, c0, c0 + rows.Length, 1, cache);
        }
        // Caches of the previous call that no context continues stay spare (a fresh call resets them).
        for (int g = 0; g < MaxSamplingGroups; g++)
            if (taken[g] is { } cache) ReturnCache(ref _spareCaches[g], cache);
        return (groups, cachedLengths);
    }

    // Runs the uncached tokens of each continued row (left-padded to the longest) through the model at the slots after
    // the cache's, at the row's own positions, and stores the first distributions of its rows.
    private void PrefillContinuation(DecodeGroup grp, int[][] contexts, int[] cachedLengths, SamplingSettings settings, float[] lp, float[]? p)
    {
        int v = Config.VocabSize, rows = grp.Rows, width = 0;
        for (int i = 0; i < rows; i++) width = Math.Max(width, contexts[grp.C0 + i].Length - cachedLengths[grp.C0 + i]);
        var ids = new long[rows * width];
        var pos = new long[rows * width];
        var valid = new bool[rows * width];
        for (int i = 0; i < rows; i++)
        {
            var c = contexts[grp.C0 + i];
            int from = cachedLengths[grp.C0 + i], pad = width - (c.Length - from);
            for (int j = from; j < c.Length; j++)
            {
                ids[i * width + pad + j - from] = c[j];
                pos[i * width + pad + j - from] = j;
                valid[i * width + pad + j - from] = true;
            }
        }
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var cache = grp.Cache;
        cache.Valid.narrow(1, cache.Length, width).copy_(tensor(valid, [rows, width], device: Device));
        var logits = Model.ForwardLast(tensor(ids, [rows, width], device: Device), tensor(pos, [rows, width], device: Device), cache);
        CopyDistributions(logits, settings, lp.AsSpan(grp.R0 * v, rows * v), p is null ? [] : p.AsSpan(grp.R0 * v, rows * v));
    }

    // What each row of a group's cache holds after a call: its context and every drawn token but the last (the last is
    // drawn, never run through the model), ending at the slot after them.
    private static (int[] Tokens, int End)[] CachedRows(DecodeGroup grp, int[][] prompts, int k, List<int>[] tokens)
    {
        var held = new (int[], int)[grp.Rows];
        for (int i = 0; i < grp.Rows; i++)
        {
            int r = grp.R0 + i, fed = tokens[r].Count - 1;
            var prompt = prompts[r / k];
            var all = new int[prompt.Length + fed];
            prompt.CopyTo(all, 0);
            tokens[r].CopyTo(0, all, prompt.Length, fed);
            held[i] = (all, grp.PrefillEnd + fed);
        }
        return held;
    }

    // The contexts [C0, C1) of one sampling call and their rows [C0·K, C1·K), with their cache and step inputs.
    private sealed class DecodeGroup(int index, int c0, int c1, int k, KvCache cache)
    {
        public int Index { get; } = index;
        public int PrefillEnd { get; set; }
        public int C0 { get; } = c0;
        public int C1 { get; } = c1;
        public int R0 { get; } = c0 * k;
        public int Rows { get; } = (c1 - c0) * k;
        public KvCache Cache { get; } = cache;
        public long[] StepIds { get; } = new long[(c1 - c0) * k];
        public long[] StepPos { get; } = new long[(c1 - c0) * k];
    }

    private static void RunGroups(DecodeGroup[] groups, Action<int> body)
    {
        if (groups.Length == 1)
        {
            body(0);
            return;
        }
        try { Parallel.For(0, groups.Length, body); }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    // Runs a group's prompts through the model (once per context; its K samples copy the prefix) and stores the first
    // distributions of its rows. Runs on any thread: inference mode and dispose scopes are per thread.
    private void Prefill(DecodeGroup grp, int index, SamplingSettings settings, long[] ids, long[] pos, bool[] valid, int width, float[] lp, float[]? p)
    {
        int v = Config.VocabSize, k = grp.Rows / (grp.C1 - grp.C0), n = grp.C1 - grp.C0;
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var prefix = k == 1 ? null : RentCache(ref _sparePrefixes[index], n, width);
        try
        {
            var target = prefix ?? grp.Cache;
            var from = grp.C0 * width;
            using var validT = tensor(valid[from..(from + n * width)], [n, width], device: Device);
            target.Valid.narrow(1, 0, width).copy_(validT);
            var logits = Model.ForwardLast(tensor(ids[from..(from + n * width)], [n, width], device: Device),
                tensor(pos[from..(from + n * width)], [n, width], device: Device), target);
            if (prefix is null)
            {
                CopyDistributions(logits, settings, lp.AsSpan(grp.R0 * v, grp.Rows * v), p is null ? [] : p.AsSpan(grp.R0 * v, grp.Rows * v));
                return;
            }
            var firstLp = new float[n * v];
            var firstP = p is null ? [] : new float[n * v];
            CopyDistributions(logits, settings, firstLp, firstP);
            grp.Cache.LoadPrefix(prefix, k);
            for (int r = 0; r < grp.Rows; r++)
            {
                firstLp.AsSpan((r / k) * v, v).CopyTo(lp.AsSpan((grp.R0 + r) * v, v));
                if (p is not null) firstP.AsSpan((r / k) * v, v).CopyTo(p.AsSpan((grp.R0 + r) * v, v));
            }
        }
        finally { if (prefix is not null) ReturnCache(ref _sparePrefixes[index], prefix); }
    }

    // Draws one token per live row from the host copies (every row in order, from the one stream), then decodes the drawn
    // tokens, each group on its own thread, until every row has stopped.
    private void DecodeLoop(DecodeGroup[] groups, SamplingSettings settings, ref Rng rng, int rows, int maxNew, int[] lengths,
        List<int>[] tokens, List<float>[] logps, StopReason?[] stop, float[] lp, float[]? p)
    {
        int v = Config.VocabSize;
        bool greedy = p is null;
        var keys = greedy || settings.TopP >= 1 ? null : new long[v];
        for (int t = 0; ; t++)
        {
            int active = 0;
            for (int r = 0; r < rows; r++)
            {
                if (stop[r] is not null) continue;
                var row = lp.AsSpan(r * v, v);
                int tok = greedy ? ArgMax(row) : Draw(p.AsSpan(r * v, v), settings.TopP, keys, ref rng);
                tokens[r].Add(tok);
                logps[r].Add(row[tok]);
                if (tok == Tokenizer.StepDelimiterId) stop[r] = StopReason.Delimiter;
                else if (tok == Tokenizer.EosId) stop[r] = StopReason.EndOfSequence;
                else if (tokens[r].Count >= maxNew || lengths[r] + 1 >= Config.Context) stop[r] = StopReason.Length;
                else active++;
            }
            if (active == 0) break;
            foreach (var grp in groups)
                for (int i = 0; i < grp.Rows; i++)
                {
                    int r = grp.R0 + i;
                    bool live = stop[r] is null;
                    grp.StepIds[i] = live ? tokens[r][^1] : Tokenizer.PadId;
                    grp.StepPos[i] = live ? lengths[r] : 0;
                    if (live) lengths[r]++;
                }
            // Model.Forward marks the new slot valid for every row: a stopped row then attends to its own padding, which
            // no live row ever sees (rows never attend to each other), and its output is ignored.
            RunGroups(groups, g =>
            {
                var grp = groups[g];
                using var inference = inference_mode();
                using var scope = NewDisposeScope();
                var logits = Model.ForwardLast(tensor(grp.StepIds, [grp.Rows, 1], device: Device), tensor(grp.StepPos, [grp.Rows, 1], device: Device), grp.Cache);
                CopyDistributions(logits, settings, lp.AsSpan(grp.R0 * v, grp.Rows * v), p is null ? [] : p.AsSpan(grp.R0 * v, grp.Rows * v));
            });
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
    private static void CopyDistributions(Tensor logits, SamplingSettings settings, Span<float> logprobs, Span<float> probs)
    {
        using (var lp = nn.functional.log_softmax(logits, -1)) CopyToHost(lp, logprobs);
        if (probs.IsEmpty) return;
        using var tempered = settings.Temperature == 1 ? null : logits.div(settings.Temperature);
        using var p = nn.functional.softmax(tempered ?? logits, -1);
        CopyToHost(p, probs);
    }

    private static void CopyToHost(Tensor t, Span<float> dst)
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
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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
        for (int g = 0; g < MaxSamplingGroups; g++)
        {
            Interlocked.Exchange(ref _spareCaches[g], null)?.Dispose();
            Interlocked.Exchange(ref _sparePrefixes[g], null)?.Dispose();
        }
        Model.Dispose();
    }
}
