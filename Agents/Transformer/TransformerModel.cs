using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Sim.Agents.Transformer;

/// <summary>
/// A decoder-only transformer language model (GPT-2 layout) for <see cref="TransformerConfig"/>. <c>forward(ids)</c> gives
/// next-token logits [B, T, V] with causal attention (training, scoring); <see cref="Forward(Tensor, Tensor, KvCache)"/>
/// decodes incrementally with a <see cref="KvCache"/> and per-row padding masks (sampling).
/// </summary>
public sealed class TransformerModel : Module<Tensor, Tensor>
{
    private readonly Embedding wte, wpe;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm ln_f;

    /// <summary>Builds the model with GPT-2 initialisation from torch's current seed (call <c>torch.manual_seed</c> first).</summary>
    public TransformerModel(TransformerConfig config) : base("sim_transformer")
    {
        Config = config.Validate();
        wte = Embedding(config.VocabSize, config.Width);
        wpe = Embedding(config.Context, config.Width);
        blocks = new ModuleList<Block>(Enumerable.Range(0, config.Layers).Select(i => new Block(config, i)).ToArray());
        ln_f = LayerNorm(config.Width);
        RegisterComponents();
        using (no_grad())
        {
            // N(0, 0.02) embeddings: the default N(0, 1) is far too large for an output head tied to them.
            wte.weight!.normal_(0, 0.02);
            wpe.weight!.normal_(0, 0.02);
        }
    }

    /// <summary>The shape.</summary>
    public TransformerConfig Config { get; }

    /// <summary>Whether single-token decoding over a host-memory (CPU, float32) cache computes attention with
    /// <see cref="HostAttention"/> (the default) rather than libtorch's batched matrix products; tests compare the two.</summary>
    internal bool HostDecodeAttention { get; set; } = true;

    /// <summary>Logits [B, T, V] for token ids [B, T] at positions 0..T-1, causal (no padding on the left).</summary>
    public override Tensor forward(Tensor ids)
    {
        long t = ids.shape[1];
        if (t > Config.Context) throw new ArgumentException($"sequence of {t} tokens exceeds the context of {Config.Context}");
        using var pos = arange(t, dtype: ScalarType.Int64, device: ids.device);
        var x = wte.forward(ids) + wpe.forward(pos);
        foreach (var b in blocks) x = b.Forward(x, null, null, causal: true);
        return Head(x);
    }

    /// <summary>The final hidden states [B, T, W] (for value and reward heads), causal, no left padding.</summary>
    public Tensor Hidden(Tensor ids)
    {
        long t = ids.shape[1];
        if (t > Config.Context) throw new ArgumentException($"sequence of {t} tokens exceeds the context of {Config.Context}");
        using var pos = arange(t, dtype: ScalarType.Int64, device: ids.device);
        var x = wte.forward(ids) + wpe.forward(pos);
        foreach (var b in blocks) x = b.Forward(x, null, null, causal: true);
        return ln_f.forward(x);
    }

    /// <summary>
    /// Incremental forward: appends <paramref name="ids"/> [B, T] at per-row <paramref name="positions"/> [B, T] to the
    /// cache and returns logits [B, T, V]. Before the call, the caller marks the new positions' validity in
    /// <see cref="KvCache.Valid"/>; each query attends to valid cached keys at or before itself (and always to itself).
    /// A single new token (<c>T = 1</c>) is marked valid here, so later queries may attend to it.
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor positions, KvCache cache)
    {
        long b = ids.shape[0], t = ids.shape[1];
        using var x = Advance(ids, positions, cache);
        if (t > 1) return Head(x);
        using var logits = Head(x);
        return logits.view(b, 1, -1);
    }

    /// <summary>
    /// <see cref="Forward(Tensor, Tensor, KvCache)"/> that returns only the logits of the last new position, [B, V]: what
    /// sampling needs. The output head (the largest matmul of a decode step) runs on one position per row, and a single
    /// token runs through 2-D activations (no [B, 1, W] reshapes) with one attention mask shared by all layers.
    /// </summary>
    public Tensor ForwardLast(Tensor ids, Tensor positions, KvCache cache)
    {
        using var x = Advance(ids, positions, cache);
        if (x.dim() == 2) return Head(x);
        using var last = x.select(1, x.shape[1] - 1);
        return Head(last);
    }

    // Runs new tokens through the blocks, appending to the cache: hidden states [B, T, W], or [B, W] for one token.
    private Tensor Advance(Tensor ids, Tensor positions, KvCache cache)
    {
        long b = ids.shape[0], t = ids.shape[1];
        if (b != cache.Batch) throw new ArgumentException($"{b} rows of ids for a cache of {cache.Batch} rows");
        int start = cache.Length, total = start + (int)t;
        if (t == 1)
        {
            // Decoding one token: every cached key is at or before the query, so the mask is the validity row alone once
            // the query's own slot is marked valid (it always attends to itself). Host attention reads that row directly;
            // otherwise it is turned into an additive mask once here (into memory the cache owns) for all layers.
            cache.BeginDecode();
            bool host = HostDecodeAttention && cache.OnHost;
            using var bias = host ? null : cache.DecodeBias();
            using var flatIds = ids.view(b);
            using var flatPos = positions.view(b);
            using var tokens = wte.forward(flatIds);
            using var places = wpe.forward(flatPos);
            var h = tokens + places;
            for (int l = 0; l < blocks.Count; l++)
            {
                var next = blocks[l].Decode(h, bias, cache);
                h.Dispose();
                h = next;
            }
            cache.Length = total;
            return h;
        }
        // mask [B, 1, T, total]: key j is visible to query i when j <= start + i and key j is valid, or j == start + i.
        using var keyIdx = arange(total, dtype: ScalarType.Int64, device: ids.device).view(1, 1, 1, total);
        using var qIdx = arange(start, total, dtype: ScalarType.Int64, device: ids.device).view(1, 1, t, 1);
        using var causal = keyIdx.le(qIdx);
        using var valid2 = cache.Valid.narrow(1, 0, total).view(-1, 1, 1, total);
        using var self = keyIdx.eq(qIdx);
        using var mask = causal.logical_and(valid2).logical_or(self);
        var x = wte.forward(ids) + wpe.forward(positions);
        for (int l = 0; l < blocks.Count; l++) x = blocks[l].Forward(x, mask, cache, causal: false);
        cache.Length = total;
        return x;
    }

    private Tensor Head(Tensor x) => functional.linear(ln_f.forward(x), wte.weight!);

    /// <summary>One pre-LayerNorm transformer block.</summary>
    private sealed class Block : Module<Tensor, Tensor>
    {
        private readonly LayerNorm ln_1, ln_2;
        private readonly Linear c_attn, c_proj, c_fc, c_out;
        private readonly int _heads, _layer;

        public Block(TransformerConfig c, int layer) : base($"block{layer}")
        {
            _heads = c.Heads;
            _layer = layer;
            ln_1 = LayerNorm(c.Width);
            c_attn = Linear(c.Width, 3 * c.Width);
            c_proj = Linear(c.Width, c.Width);
            ln_2 = LayerNorm(c.Width);
            c_fc = Linear(c.Width, c.MlpRatio * c.Width);
            c_out = Linear(c.MlpRatio * c.Width, c.Width);
            RegisterComponents();
            using (no_grad())
            {
                // GPT-2: residual projections scaled down by sqrt(2 * layers) so the residual stream's variance stays put.
                double std = 0.02 / Math.Sqrt(2.0 * c.Layers);
                foreach (var lin in new[] { c_attn, c_fc }) { lin.weight!.normal_(0, 0.02); lin.bias!.zero_(); }
                foreach (var lin in new[] { c_proj, c_out }) { lin.weight!.normal_(0, std); lin.bias!.zero_(); }
            }
        }

        public override Tensor forward(Tensor x) => Forward(x, null, null, causal: true);

        // One decoded token per row: x [B, W], additive mask [B, 1, 1, total], or no mask when the cache is on the host
        // (HostAttention reads its validity flags directly). The same linear and residual operations as Forward with
        // T = 1, in the same order, without the [B, 1, W] layout; attention sums in a different order (HostAttention, or
        // matmul + softmax + matmul instead of SDPA), equal to about 1e-6. Intermediates are freed as soon as used.
        public Tensor Decode(Tensor x, Tensor? bias, KvCache cache)
        {
            long b = x.shape[0], w = x.shape[1], dh = w / _heads;
            Tensor y;
            using (var h = ln_1.forward(x))
            using (var qkv = c_attn.forward(h))
            {
                if (bias is null)
                {
                    // The cache is in host memory (see HostAttention): the step's keys and values are written there and
                    // attention runs on the CPU directly.
                    y = empty([b, w], qkv.dtype, qkv.device);
                    HostAttention.Decode(MemoryMarshal.Cast<byte, float>(qkv.bytes), cache.HostKeys(_layer), cache.HostValues(_layer),
                        cache.HostValid, (int)b, _heads, (int)dh, cache.Capacity, cache.Length, MemoryMarshal.Cast<byte, float>(y.bytes));
                }
                else
                {
                    using var q = qkv.narrow(1, 0, w).view(b, _heads, 1, dh);
                    using var kNew = qkv.narrow(1, w, w).view(b, _heads, 1, dh);
                    using var vNew = qkv.narrow(1, 2 * w, w).view(b, _heads, 1, dh);
                    var (k, v) = cache.Append(_layer, kNew, vNew);
                    using (k)
                    using (v)
                    {
                        // One query per row: the scores and the weighted sum are batched matrix products over rows and
                        // heads, with the additive mask broadcast over heads.
                        using var kt = k.transpose(2, 3);
                        using var scores = q.matmul(kt);
                        scores.mul_(1.0 / Math.Sqrt(dh)).add_(bias);
                        using var p = scores.softmax(-1);
                        using var att = p.matmul(v);
                        y = att.view(b, w);
                    }
                }
            }
            Tensor x1;
            using (y) x1 = c_proj.forward(y);
            x1.add_(x); // x + c_proj(y): addition commutes exactly
            using var h2 = ln_2.forward(x1);
            using var f = c_fc.forward(h2);
            f.gelu_();
            var o = c_out.forward(f);
            o.add_(x1);
            x1.Dispose();
            return o;
        }

        public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache, bool causal)
        {
            long b = x.shape[0], t = x.shape[1], w = x.shape[2];
            var qkv = c_attn.forward(ln_1.forward(x)).view(b, t, 3, _heads, w / _heads).permute(2, 0, 3, 1, 4);
            Tensor q = qkv[0], k = qkv[1], v = qkv[2];
            if (cache is not null) (k, v) = cache.Append(_layer, k, v);
            var y = functional.scaled_dot_product_attention(q, k, v, mask, 0.0, causal && mask is null);
            y = y.transpose(1, 2).reshape(b, t, w);
            x = x + c_proj.forward(y);
            return x + c_out.forward(functional.gelu(c_fc.forward(ln_2.forward(x))));
        }
    }
}
