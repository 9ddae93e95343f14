using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Transformer;

/// <summary>
/// Keys and values of every layer for a batch being decoded, preallocated to <see cref="Capacity"/> positions so that
/// decoding allocates nothing per token. <see cref="Length"/> is the number of filled positions (shared by all rows;
/// rows with shorter prompts are left-padded and their padding is masked).
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys, _values;

    /// <summary>Allocates a cache for <paramref name="batch"/> rows and <paramref name="capacity"/> positions.</summary>
    public KvCache(TransformerConfig config, int batch, int capacity, Device device)
    {
        Capacity = capacity;
        _keys = new Tensor[config.Layers];
        _values = new Tensor[config.Layers];
        for (int l = 0; l < config.Layers; l++)
        {
            // Uninitialised: a slot is always written (Append, LoadPrefix) before attention reads it.
            _keys[l] = empty([batch, config.Heads, capacity, config.HeadWidth], device: device);
            _values[l] = empty([batch, config.Heads, capacity, config.HeadWidth], device: device);
        }
        // Which cached positions hold a real token (false for left padding and for rows that already stopped).
        Valid = zeros([batch, capacity], ScalarType.Bool, device: device);
    }

    /// <summary>Positions the cache can hold.</summary>
    public int Capacity { get; }

    /// <summary>Positions filled so far.</summary>
    public int Length { get; internal set; }

    /// <summary>[batch, capacity] booleans: whether each cached position is a real token that may be attended to.</summary>
    public Tensor Valid { get; }

    /// <summary>Writes <paramref name="k"/> and <paramref name="v"/> ([B, H, T, Dh]) at <see cref="Length"/> and returns the
    /// keys and values of positions 0..Length+T (views into the cache).</summary>
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache full ({Capacity} positions)");
        _keys[layer].narrow(2, Length, t).copy_(k);
        _values[layer].narrow(2, Length, t).copy_(v);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Fills this cache's first <c>source.Length</c> positions with <paramref name="source"/>'s, each source row
    /// repeated <paramref name="repeats"/> times (row r here is source row r / repeats): K samples share one prefill.</summary>
    internal void LoadPrefix(KvCache source, int repeats)
    {
        int t = source.Length;
        if (t > Capacity) throw new InvalidOperationException($"KV cache full ({Capacity} positions)");
        using var scope = NewDisposeScope();
        for (int l = 0; l < _keys.Length; l++)
        {
            _keys[l].narrow(2, 0, t).copy_(source._keys[l].narrow(2, 0, t).repeat_interleave(repeats, 0));
            _values[l].narrow(2, 0, t).copy_(source._values[l].narrow(2, 0, t).repeat_interleave(repeats, 0));
        }
        Valid.narrow(1, 0, t).copy_(source.Valid.narrow(1, 0, t).repeat_interleave(repeats, 0));
        Length = t;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
        Valid.Dispose();
    }
}
