using Sim.Agents.Data;
using Sim.Agents.Tokenization;
using Sim.Agents.Transformer;
using Sim.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Agents.Training;

/// <summary>
/// Supervised fine-tuning of a <see cref="TransformerLm"/> on prompt-completion rows: next-token cross-entropy on the
/// completion tokens only (the prompt is context, as in TRL's default for prompt-completion data), AdamW, warm-up plus
/// cosine schedule, gradient clipping. Batches are drawn by shuffling the rows each epoch with a seeded stream, so the
/// same seed and data give the same model. Every step runs inside its own dispose scope, so memory stays flat.
/// </summary>
public sealed class SftTrainer
{
    private readonly TransformerLm _lm;
    private readonly SftConfig _config;
    private readonly List<(long[] Ids, int PromptLength)> _rows;
    private readonly optim.Optimizer _optimizer;
    private readonly int[] _order;
    private int _cursor;
    private Rng _rng;

    /// <summary>Tokenizes the rows and sets up the optimizer. Rows longer than the context are cut at the end.</summary>
    public SftTrainer(TransformerLm lm, IReadOnlyList<PromptCompletion> rows, SftConfig config)
    {
        if (rows.Count == 0) throw new ArgumentException("no training rows");
        _lm = lm;
        _config = config.Validate();
        _rows = new List<(long[], int)>(rows.Count);
        int ctx = lm.Config.Context;
        foreach (var r in rows)
        {
            var prompt = lm.EncodeContext(r.Prompt, []);
            var all = prompt.Concat(lm.Tokenizer.Encode(r.Completion)).Append(lm.Tokenizer.EosId).Select(i => (long)i).ToArray();
            if (all.Length > ctx + 1) all = all[..(ctx + 1)];
            if (prompt.Length >= all.Length) continue;   // nothing of the completion fits
            _rows.Add((all, prompt.Length));
        }
        if (_rows.Count == 0) throw new ArgumentException($"no row's completion fits in the context of {ctx} tokens");
        _optimizer = optim.AdamW(lm.Model.parameters(), lr: config.LearningRate, weight_decay: config.WeightDecay);
        _order = Enumerable.Range(0, _rows.Count).ToArray();
        _rng = new Rng(config.Seed ^ 0x5F7A_11CE_0000_0001UL);
        Shuffle();
    }

    /// <summary>Optimizer steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>Tokens (inputs that carry a loss) consumed so far.</summary>
    public long TrainedTokens { get; private set; }

    /// <summary>Tokens fed through the model so far (all positions, padding excluded).</summary>
    public long SeenTokens { get; private set; }

    /// <summary>Positions per row of the last step's batch (its longest row; shorter rows are padded to it).</summary>
    public int LastBatchWidth { get; private set; }

    /// <summary>Runs <see cref="SftConfig.Steps"/> steps; <paramref name="onStep"/> gets (step, loss) after each.</summary>
    public List<float> Train(Action<int, float>? onStep = null)
    {
        var losses = new List<float>(_config.Steps);
        while (Step < _config.Steps)
        {
            float loss = TrainStep();
            losses.Add(loss);
            onStep?.Invoke(Step, loss);
        }
        return losses;
    }

    /// <summary>One optimizer step on the next batch; returns its mean loss per completion token.</summary>
    public float TrainStep()
    {
        int b = Math.Min(_config.BatchSize, _rows.Count);
        var batch = new (long[] Ids, int PromptLength)[b];
        for (int i = 0; i < b; i++)
        {
            if (_cursor == _order.Length) Shuffle();
            batch[i] = _rows[_order[_cursor++]];
        }
        int width = batch.Max(r => r.Ids.Length) - 1;
        LastBatchWidth = width;
        var x = new long[b * width];
        var y = new long[b * width];
        Array.Fill(y, -100L);
        for (int i = 0; i < b; i++)
        {
            var (ids, promptLen) = batch[i];
            for (int j = 0; j < ids.Length - 1; j++)
            {
                x[i * width + j] = ids[j];
                // Position j predicts token j+1; only completion tokens (index >= promptLen) carry a loss.
                if (j + 1 >= promptLen) { y[i * width + j] = ids[j + 1]; TrainedTokens++; }
            }
            SeenTokens += ids.Length - 1;
        }
        foreach (var g in _optimizer.ParamGroups) g.LearningRate = _config.LearningRateAt(Step);

        using var scope = NewDisposeScope();
        var model = _lm.Model;
        model.train();
        _optimizer.zero_grad();
        var logits = model.forward(tensor(x, [b, width], device: _lm.Device));
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), tensor(y, [b * width], device: _lm.Device), ignore_index: -100);
        loss.backward();
        if (_config.GradClip > 0) nn.utils.clip_grad_norm_(model.parameters(), _config.GradClip);
        _optimizer.step();
        model.eval();
        Step++;
        return loss.item<float>();
    }

    // Shuffles the epoch, then sorts each window of 16 batches by length and shuffles the batches of the window, so a
    // batch holds rows of similar length (little padding) while the data order stays random at the batch level.
    private void Shuffle()
    {
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = _rng.NextInt(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        int b = Math.Min(_config.BatchSize, _rows.Count), window = b * 16;
        for (int start = 0; start < _order.Length; start += window)
        {
            int len = Math.Min(window, _order.Length - start);
            Array.Sort(_order, start, len, Comparer<int>.Create((x, y) => _rows[x].Ids.Length != _rows[y].Ids.Length
                ? _rows[x].Ids.Length.CompareTo(_rows[y].Ids.Length) : x.CompareTo(y)));
            int batches = len / b;
            for (int i = batches - 1; i > 0; i--)
            {
                int j = _rng.NextInt(i + 1);
                if (i == j) continue;
                for (int t = 0; t < b; t++)
                    (_order[start + i * b + t], _order[start + j * b + t]) = (_order[start + j * b + t], _order[start + i * b + t]);
            }
        }
        _cursor = 0;
    }
}
