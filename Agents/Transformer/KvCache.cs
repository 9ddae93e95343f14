using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Transformer;

/// <summary>
/// Keys and values of every layer for a batch being decoded, preallocated to <see cref="Capacity"/> positions so that
/// decoding allocates nothing per token. <see cref="Length"/> is the number of filled positions (shared by all rows;
/// rows with shorter prompts are left-padded and their padding is masked).
/// <para>A cache can be reused for a later batch of at most <see cref="MaxBatch"/> rows (<see cref="Reset"/>): its
/// memory is then already mapped, where a fresh one page-faults on every first write (on this VM that cost about a
/// third as much as the prefill it was filled by).</para>
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keyStore, _valueStore;
    private readonly Tensor _validStore, _biasStore;
    private Tensor[] _keys, _values;
    private Tensor _valid, _bias;

    /// <summary>Allocates a cache for <paramref name="batch"/> rows and <paramref name="capacity"/> positions.</summary>
    public KvCache(TransformerConfig config, int batch, int capacity, Device device)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), "batch must be >= 1");
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be >= 1");
        Capacity = capacity;
        MaxBatch = batch;
        _keyStore = new Tensor[config.Layers];
        _valueStore = new Tensor[config.Layers];
        for (int l = 0; l < config.Layers; l++)
        {
            // Uninitialised: a slot is always written (Append, LoadPrefix) before attention reads it.
            _keyStore[l] = Own(empty([batch, config.Heads, capacity, config.HeadWidth], device: device));
            _valueStore[l] = Own(empty([batch, config.Heads, capacity, config.HeadWidth], device: device));
        }
        // Which cached positions hold a real token (false for left padding and for rows that already stopped).
        _validStore = Own(zeros([batch, capacity], ScalarType.Bool, device: device));
        // Valid as an additive attention mask (0 or -inf) for decoding, [batch, 1, 1, capacity] to broadcast over heads.
        _biasStore = Own(empty([batch, 1, 1, capacity], _keyStore[0].dtype, device: device));
        (_keys, _values, _valid, _bias) = (_keyStore, _valueStore, _validStore, _biasStore);
        Batch = batch;
    }

    /// <summary>Positions the cache can hold.</summary>
    public int Capacity { get; }

    /// <summary>Rows the cache was allocated for.</summary>
    public int MaxBatch { get; }

    /// <summary>Rows in use (<see cref="MaxBatch"/> unless <see cref="Reset"/> chose fewer).</summary>
    public int Batch { get; private set; }

    /// <summary>Positions filled so far.</summary>
    public int Length { get; internal set; }

    /// <summary>[batch, capacity] booleans: whether each cached position is a real token that may be attended to.</summary>
    public Tensor Valid => _valid;

    /// <summary>Empties the cache for a new batch of <paramref name="batch"/> rows (at most <see cref="MaxBatch"/>):
    /// <see cref="Length"/> becomes 0 and every position invalid; the memory is kept.</summary>
    public void Reset(int batch)
    {
        if (batch < 1 || batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), $"batch must be in 1..{MaxBatch}");
        SetBatch(batch);
        _valid.zero_();
        Length = 0;
        Rows = null;
    }

    // Points the views at the first `batch` rows of the stores.
    private void SetBatch(int batch)
    {
        if (batch == Batch) return;
        // Views of the first rows: dimension 0 is outermost, so they stay contiguous.
        if (!ReferenceEquals(_keys, _keyStore)) DisposeViews();
        if (batch == MaxBatch) (_keys, _values, _valid, _bias) = (_keyStore, _valueStore, _validStore, _biasStore);
        else
        {
            _keys = _keyStore.Select(t => Own(t.narrow(0, 0, batch))).ToArray();
            _values = _valueStore.Select(t => Own(t.narrow(0, 0, batch))).ToArray();
            _valid = Own(_validStore.narrow(0, 0, batch));
            _bias = Own(_biasStore.narrow(0, 0, batch));
        }
        Batch = batch;
    }

    /// <summary>
    /// What each row holds, for <see cref="TransformerLm.ReuseCachedRows"/>: the tokens whose keys and values are
    /// cached (in order, at positions 0..), and the slot after the last of them (later slots of the row hold padding a
    /// stopped row was fed). Null when unknown (a fresh or reset cache, or a prompt that was cut).
    /// </summary>
    internal (int[] Tokens, int End)[]? Rows { get; set; }

    /// <summary>
    /// Keeps rows <paramref name="rows"/> (ascending indices of the rows in use) as rows 0, 1… and marks every slot of
    /// a kept row from its end (<paramref name="ends"/>, one per kept row) to <see cref="Length"/> invalid: what a
    /// continuation of those rows needs. <see cref="Length"/> and the kept slots are unchanged.
    /// </summary>
    internal void KeepRows(int[] rows, int[] ends)
    {
        if (rows.Length == 0 || rows.Length != ends.Length) throw new ArgumentException("one end per kept row, at least one row");
        using var scope = NewDisposeScope();
        bool identity = true;
        for (int j = 0; j < rows.Length; j++)
        {
            if (rows[j] < j || rows[j] >= Batch || (j > 0 && rows[j] <= rows[j - 1])) throw new ArgumentException("rows must be ascending indices of rows in use");
            identity &= rows[j] == j;
        }
        if (!identity)
        {
            // Row j takes row rows[j] >= j: gathered into a copy first, then written to the first rows.
            var index = tensor(rows.Select(r => (long)r).ToArray(), device: _validStore.device);
            int n = rows.Length, t = Length;
            for (int l = 0; l < _keyStore.Length; l++)
            {
                _keyStore[l].narrow(0, 0, n).narrow(2, 0, t).copy_(_keyStore[l].index_select(0, index).narrow(2, 0, t));
                _valueStore[l].narrow(0, 0, n).narrow(2, 0, t).copy_(_valueStore[l].index_select(0, index).narrow(2, 0, t));
            }
            _validStore.narrow(0, 0, n).copy_(_validStore.index_select(0, index));
        }
        SetBatch(rows.Length);
        var valid = new bool[rows.Length * Length];
        _valid.narrow(1, 0, Length).cpu().contiguous().data<bool>().CopyTo(valid, 0);
        for (int j = 0; j < rows.Length; j++)
            Array.Fill(valid, false, j * Length + ends[j], Length - ends[j]);
        _valid.narrow(1, 0, Length).copy_(tensor(valid, [rows.Length, Length], device: _validStore.device));
        Rows = null;
    }

    /// <summary>Writes <paramref name="k"/> and <paramref name="v"/> ([B, H, T, Dh]) at <see cref="Length"/> and returns the
    /// keys and values of positions 0..Length+T (views into the cache).</summary>
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache full ({Capacity} positions)");
        using (var kSlot = _keys[layer].narrow(2, Length, t)) kSlot.copy_(k);
        using (var vSlot = _values[layer].narrow(2, Length, t)) vSlot.copy_(v);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Whether the cache lives in host memory as float32, so that <see cref="HostAttention"/> can read it.</summary>
    internal bool OnHost => _keyStore[0].device_type == DeviceType.CPU && _keyStore[0].dtype == ScalarType.Float32;

    /// <summary>Marks slot <see cref="Length"/> valid for every row before one token is decoded into it: a query always
    /// attends to itself.</summary>
    internal void BeginDecode()
    {
        if (Length + 1 > Capacity) throw new InvalidOperationException($"KV cache full ({Capacity} positions)");
        using var self = _valid.narrow(1, Length, 1);
        self.fill_(true);
    }

    /// <summary>
    /// The additive attention mask for decoding one token into slot <see cref="Length"/> (after
    /// <see cref="BeginDecode"/>): [B, 1, 1, Length + 1], 0 where <see cref="Valid"/> and -inf elsewhere. It is written
    /// into memory owned by the cache (a view of it is returned), computed from <see cref="Valid"/> each time.
    /// </summary>
    internal Tensor DecodeBias()
    {
        int total = Length + 1;
        using var valid = _valid.narrow(1, 0, total);
        using var invalid = valid.logical_not();
        using var invalid4 = invalid.view(Batch, 1, 1, total);
        var bias = _bias.narrow(3, 0, total);
        bias.fill_(0);
        bias.masked_fill_(invalid4, double.NegativeInfinity);
        return bias;
    }

    /// <summary>Layer <paramref name="layer"/>'s key store ([MaxBatch, heads, Capacity, Dh], contiguous; the first
    /// <see cref="Batch"/> rows are in use) as host floats. Only when <see cref="OnHost"/>.</summary>
    internal Span<float> HostKeys(int layer) => MemoryMarshal.Cast<byte, float>(_keyStore[layer].bytes);

    /// <summary>Layer <paramref name="layer"/>'s value store, as <see cref="HostKeys"/>.</summary>
    internal Span<float> HostValues(int layer) => MemoryMarshal.Cast<byte, float>(_valueStore[layer].bytes);

    /// <summary>The validity store ([MaxBatch, Capacity], one byte per flag) in host memory. Only when <see cref="OnHost"/>.</summary>
    internal ReadOnlySpan<byte> HostValid => _validStore.bytes;

    /// <summary>Fills this cache's first <c>source.Length</c> positions with <paramref name="source"/>'s, each source row
    /// repeated <paramref name="repeats"/> times (row r here is source row r / repeats): K samples share one prefill.</summary>
    internal void LoadPrefix(KvCache source, int repeats)
    {
        int t = source.Length;
        if (t > Capacity) throw new InvalidOperationException($"KV cache full ({Capacity} positions)");
        if (source.Batch * repeats != Batch) throw new InvalidOperationException($"{source.Batch} rows x {repeats} != {Batch} rows");
        using var scope = NewDisposeScope();
        for (int l = 0; l < _keys.Length; l++)
        {
            _keys[l].narrow(2, 0, t).copy_(source._keys[l].narrow(2, 0, t).repeat_interleave(repeats, 0));
            _values[l].narrow(2, 0, t).copy_(source._values[l].narrow(2, 0, t).repeat_interleave(repeats, 0));
        }
        _valid.narrow(1, 0, t).copy_(source._valid.narrow(1, 0, t).repeat_interleave(repeats, 0));
        Length = t;
    }

    // The cache owns its tensors and outlives the dispose scope it may be created in (a caller's, or a sampling step's).
    private static Tensor Own(Tensor t) => t.DetachFromDisposeScope();

    private void DisposeViews()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
        _valid.Dispose();
        _bias.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!ReferenceEquals(_keys, _keyStore)) DisposeViews();
        foreach (var t in _keyStore) t.Dispose();
        foreach (var t in _valueStore) t.Dispose();
        _validStore.Dispose();
        _biasStore.Dispose();
    }
}
