using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sim.Agents.Transformer;

/// <summary>
/// Attention of one decoded token per row over a <see cref="KvCache"/> whose tensors live in host memory, computed here
/// on the CPU rather than by libtorch.
/// <para>Why: with one query per row, libtorch runs attention as one matrix-vector product per row and head for the
/// scores and another for the output (512 MKL calls per layer at batch 64 with 4 heads), each a few hundred floats:
/// call overhead dominated, and profiling put them at about a fifth of a decode step. Here the same sums run as one
/// loop over rows and heads that also writes the step's keys and values into the cache.</para>
/// <para>Arithmetic: scores q·k / sqrt(Dh), masked where the cache is not valid, a max-subtracted softmax, and the
/// probability-weighted sum of values, in float; only the summation order differs from libtorch's (results agree to
/// about 1e-6). Deterministic: the same inputs give the same outputs on the same machine.</para>
/// </summary>
internal static class HostAttention
{
    // The kernels are compiled fully optimised on first use (AggressiveOptimization): unoptimised first-tier code of
    // these vector loops is many times slower, and a sampling call runs them thousands of times before tiering catches up.
    /// <summary>
    /// Writes row b's new key and value (from <paramref name="qkv"/>) at <paramref name="slot"/> of the cache and puts
    /// the attention output for its query into <paramref name="output"/>.
    /// </summary>
    /// <param name="qkv">This step's [batch, 3W] projections, row-major: queries, then keys, then values (heads of
    /// Dh consecutive floats each).</param>
    /// <param name="keys">The layer's key store, [rows ≥ batch, heads, capacity, Dh] row-major.</param>
    /// <param name="values">The layer's value store, the same shape.</param>
    /// <param name="valid">The cache's validity store, [rows ≥ batch, capacity] booleans (one byte each); slots
    /// 0..slot are read, and <paramref name="slot"/> must already be marked valid (a query attends to itself).</param>
    /// <param name="batch">Rows decoded.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="dh">Width of one head.</param>
    /// <param name="capacity">Positions per row and head in the stores.</param>
    /// <param name="slot">The cache position of the new token.</param>
    /// <param name="output">[batch, W] row-major: the heads' outputs side by side.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Decode(ReadOnlySpan<float> qkv, Span<float> keys, Span<float> values, ReadOnlySpan<byte> valid,
        int batch, int heads, int dh, int capacity, int slot, Span<float> output)
    {
        int w = heads * dh, total = slot + 1;
        if (qkv.Length < batch * 3 * w || output.Length < batch * w || valid.Length < batch * capacity
            || keys.Length < batch * heads * capacity * dh || values.Length != keys.Length || slot >= capacity)
            throw new ArgumentException("attention buffers do not match the shape");
        float scale = 1f / MathF.Sqrt(dh);
        float[]? rented = total > 1024 ? System.Buffers.ArrayPool<float>.Shared.Rent(total) : null;
        Span<float> p = rented is null ? stackalloc float[total] : rented.AsSpan(0, total);
        bool vector = Vector256.IsHardwareAccelerated && dh % Vector256<float>.Count == 0;
        try
        {
            fixed (float* pq = qkv, pk = keys, pv = values, po = output, ps = p)
            fixed (byte* pvalid = valid)
            {
                for (int b = 0; b < batch; b++)
                {
                    byte* rowValid = pvalid + (long)b * capacity;
                    for (int h = 0; h < heads; h++)
                    {
                        long store = ((long)b * heads + h) * capacity * dh;
                        float* q = pq + (long)b * 3 * w + h * dh;
                        float* k = pk + store, v = pv + store, o = po + (long)b * w + h * dh;
                        // This step's key and value go into the cache first: the query attends to itself.
                        new ReadOnlySpan<float>(q + w, dh).CopyTo(new Span<float>(k + (long)slot * dh, dh));
                        new ReadOnlySpan<float>(q + 2 * w, dh).CopyTo(new Span<float>(v + (long)slot * dh, dh));
                        if (vector) Vectorised(q, k, v, rowValid, ps, o, dh, total, scale);
                        else Scalar(q, k, v, rowValid, ps, o, dh, total, scale);
                    }
                }
            }
        }
        finally { if (rented is not null) System.Buffers.ArrayPool<float>.Shared.Return(rented); }
    }

    // Dh a multiple of 8: scores as 8-wide products summed across, exponentials 8 at a time, and the output 8 columns at
    // a time over all positions. Plain multiplies and adds (no fused multiply-add), so that results do not depend on
    // which instructions the JIT picks.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Vectorised(float* q, float* k, float* v, byte* valid, float* p, float* o, int dh, int total, float scale)
    {
        const int n = 8;
        float max = float.NegativeInfinity;
        for (int l = 0; l < total; l++)
        {
            if (valid[l] == 0) { p[l] = float.NegativeInfinity; continue; }
            float* kl = k + (long)l * dh;
            // Two partial sums: a shorter dependency chain than one running sum.
            var acc = Vector256.Load(q) * Vector256.Load(kl);
            var acc2 = Vector256<float>.Zero;
            int d = n;
            for (; d <= dh - 2 * n; d += 2 * n)
            {
                acc2 += Vector256.Load(q + d) * Vector256.Load(kl + d);
                acc += Vector256.Load(q + d + n) * Vector256.Load(kl + d + n);
            }
            if (d < dh) acc2 += Vector256.Load(q + d) * Vector256.Load(kl + d);
            acc += acc2;
            float s = Vector256.Sum(acc) * scale;
            p[l] = s;
            if (s > max) max = s;
        }
        var vmax = Vector256.Create(max);
        var vsum = Vector256<float>.Zero;
        int i = 0;
        // exp(-inf - max) is 0: masked positions drop out.
        for (; i <= total - n; i += n)
        {
            var e = Vector256.Exp(Vector256.Load(p + i) - vmax);
            e.Store(p + i);
            vsum += e;
        }
        float sum = Vector256.Sum(vsum);
        for (; i < total; i++)
        {
            float e = MathF.Exp(p[i] - max);
            p[i] = e;
            sum += e;
        }
        var inv = Vector256.Create(1f / sum);
        for (int d = 0; d < dh; d += n)
        {
            // Four running sums over positions: the additions of one would wait on each other.
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            float* vd = v + d;
            int l = 0;
            for (; l <= total - 4; l += 4)
            {
                float* vl = vd + (long)l * dh;
                a0 += Vector256.Create(p[l]) * Vector256.Load(vl);
                a1 += Vector256.Create(p[l + 1]) * Vector256.Load(vl + dh);
                a2 += Vector256.Create(p[l + 2]) * Vector256.Load(vl + 2 * dh);
                a3 += Vector256.Create(p[l + 3]) * Vector256.Load(vl + 3 * dh);
            }
            for (; l < total; l++) a0 += Vector256.Create(p[l]) * Vector256.Load(vd + (long)l * dh);
            ((a0 + a1 + (a2 + a3)) * inv).Store(o + d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Scalar(float* q, float* k, float* v, byte* valid, float* p, float* o, int dh, int total, float scale)
    {
        float max = float.NegativeInfinity;
        for (int l = 0; l < total; l++)
        {
            if (valid[l] == 0) { p[l] = float.NegativeInfinity; continue; }
            float* kl = k + (long)l * dh;
            float s = 0;
            for (int d = 0; d < dh; d++) s += q[d] * kl[d];
            s *= scale;
            p[l] = s;
            if (s > max) max = s;
        }
        float sum = 0;
        for (int l = 0; l < total; l++)
        {
            float e = MathF.Exp(p[l] - max);
            p[l] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int d = 0; d < dh; d++)
        {
            float acc = 0;
            for (int l = 0; l < total; l++) acc += p[l] * v[(long)l * dh + d];
            o[d] = acc * inv;
        }
    }
}
