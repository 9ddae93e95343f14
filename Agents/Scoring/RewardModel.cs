using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Agents.Demonstrators;
using Sim.Agents.Tokenization;
using Sim.Agents.Torch;
using Sim.Agents.Transformer;
using Sim.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sim.Agents.Scoring;

/// <summary>
/// A learned outcome reward model, process reward model or value head (<see cref="ScorerKind"/>): a
/// <see cref="TransformerModel"/> backbone with a scalar head read at the delimiter token that ends each line of
/// <c>bos + prompt + lines</c>.
/// <para><b>Training targets.</b> ORM: the outcome, at the last line only (binary cross-entropy). PRM: each labelled
/// line's exact step value (binary cross-entropy). Value: the trajectory's outcome at every line, i.e. the Monte-Carlo
/// return of the rollout policy (squared error on the sigmoid output).</para>
/// <para>BT and IRL models (<see cref="ScorerKind.Preference"/>, <see cref="ScorerKind.Discriminator"/>) learn from
/// preference pairs and demonstrations instead (<c>RewardModel.Preferences.cs</c>); their reward is the head's logit
/// at the last line.</para>
/// <para><b>Scores</b> are sigmoid outputs in [0, 1], one per line; <see cref="TrajectoryScore.Outcome"/> is the last.</para>
/// <para><b>Checkpoints</b> are folders with <c>config.json</c> (kind: orm, prm, value, bt or irl; shape), <c>tokenizer.json</c> and <c>model.bin</c>.</para>
/// </summary>
public sealed partial class RewardModel : INodeScorer, IDisposable
{
    private readonly Net _net;

    private RewardModel(ScorerKind kind, Net net, SimTokenizer tokenizer, Device device)
    {
        Kind = kind;
        _net = net;
        Tokenizer = tokenizer;
        Device = device;
    }

    /// <summary>A fresh model; <paramref name="seed"/> fixes the initial weights.</summary>
    public static RewardModel Create(ScorerKind kind, TransformerConfig config, SimTokenizer tokenizer, ulong seed, Device? device = null)
    {
        var dev = device ?? TorchDevice.Default;
        torch.random.manual_seed((long)(seed & long.MaxValue));
        var net = new Net(config);
        net.to(dev);
        return new RewardModel(kind, net, tokenizer, dev);
    }

    /// <inheritdoc />
    public string Name => NameOf(Kind);

    /// <summary>The name of a kind, as <c>sim train rm --kind</c> and checkpoints spell it: orm, prm, value, bt or irl.</summary>
    public static string NameOf(ScorerKind kind) => kind switch
    {
        ScorerKind.Outcome => "orm", ScorerKind.Process => "prm", ScorerKind.Value => "value",
        ScorerKind.Preference => "bt", ScorerKind.Discriminator => "irl",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind named <paramref name="name"/> (<see cref="NameOf"/>), or null for an unknown name.</summary>
    public static ScorerKind? KindOf(string? name) => name switch
    {
        "orm" => ScorerKind.Outcome, "prm" => ScorerKind.Process, "value" => ScorerKind.Value,
        "bt" => ScorerKind.Preference, "irl" => ScorerKind.Discriminator,
        _ => null,
    };

    /// <summary>What the scores mean: outcome, process, value, preference (BT) or discriminator (IRL).</summary>
    public ScorerKind Kind { get; }

    /// <summary>The tokenizer.</summary>
    public SimTokenizer Tokenizer { get; }

    /// <summary>Where the weights live.</summary>
    public Device Device { get; }

    /// <summary>The backbone's shape.</summary>
    public TransformerConfig Config => _net.Backbone.Config;

    // Token ids of a trajectory and the index of each line's delimiter token; lines that do not fit the context are cut.
    private (long[] Ids, int[] Ends) Encode(ScoringInput t) => Encode(DemoPrompt.For(t.Env, t.Problem), t.Lines);

    private (long[] Ids, int[] Ends) Encode(string prompt, IReadOnlyList<string> lines)
    {
        var ids = new List<long> { Tokenizer.BosId };
        ids.AddRange(Tokenizer.Encode(prompt).Select(i => (long)i));
        var ends = new int[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            var line = Tokenizer.Encode(lines[i] + SimTokenizer.StepDelimiter);
            if (ids.Count + line.Length > Config.Context) { ends[i] = -1; continue; }
            ids.AddRange(line.Select(x => (long)x));
            ends[i] = ids.Count - 1;
        }
        if (ids.Count > Config.Context) ids.RemoveRange(Config.Context, ids.Count - Config.Context);
        return (ids.ToArray(), ends);
    }

    private readonly Lock _gate = new();
    private TrajectoryScore[] _buffer = [];
    private readonly List<ScoringInput> _inputs = new();

    /// <summary>
    /// Scores the search's nodes in one batch: a complete node gets the model's outcome estimate, a step node the score
    /// of its own (last) line; non-finite scores become 0, and every score is clamped to [0, 1]. Thread-safe.
    /// </summary>
    public void Score(IReadOnlyList<ScoreRequest> requests, Span<double> scores)
    {
        lock (_gate)
        {
            _inputs.Clear();
            foreach (var r in requests) _inputs.Add(new ScoringInput(r.Env, r.Problem, r.Lines));
            if (_buffer.Length < requests.Count) _buffer = new TrajectoryScore[requests.Count];
            ScoreTrajectories(_inputs, _buffer);
            for (int i = 0; i < requests.Count; i++)
            {
                var s = _buffer[i];
                double v = requests[i].IsAnswer || s.StepScores.Length == 0 ? s.Outcome : s.StepScores[^1];
                scores[i] = Math.Clamp(double.IsFinite(v) ? v : 0, 0, 1);
            }
        }
    }

    /// <summary>Scores every line of every trajectory of <paramref name="batch"/> into <paramref name="output"/>
    /// (<c>output[i]</c> for <c>batch[i]</c>).</summary>
    public void ScoreTrajectories(IReadOnlyList<ScoringInput> batch, TrajectoryScore[] output)
    {
        if (output.Length < batch.Count) throw new ArgumentException($"output needs {batch.Count} slots");
        for (int start = 0; start < batch.Count; start += 128)
        {
            int n = Math.Min(128, batch.Count - start);
            var enc = Enumerable.Range(start, n).Select(i => Encode(batch[i])).ToArray();
            int width = enc.Max(e => e.Ids.Length);
            var ids = new long[n * width];
            for (int i = 0; i < n; i++) Array.Copy(enc[i].Ids, 0, ids, i * width, enc[i].Ids.Length);
            float[] probs;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                _net.eval();
                probs = _net.forward(tensor(ids, [n, width], device: Device)).sigmoid().cpu().data<float>().ToArray();
            }
            for (int i = 0; i < n; i++)
            {
                var ends = enc[i].Ends;
                var s = new float[ends.Length];
                float last = float.NaN;
                for (int j = 0; j < ends.Length; j++)
                {
                    // A line past the context gets the score of the last line that fit.
                    s[j] = ends[j] >= 0 ? probs[i * width + ends[j]] : last;
                    if (ends[j] >= 0) last = s[j];
                }
                output[start + i] = new TrajectoryScore(s, s.Length > 0 ? s[^1] : float.NaN);
            }
        }
    }

    /// <summary>Trains on labelled trajectories; returns the loss of every step. Each step runs in its own dispose scope.</summary>
    public List<float> Train(IReadOnlyList<LabelledTrajectory> data, RewardModelConfig config, Action<int, float>? onStep = null)
    {
        config.Validate();
        if (Kind is ScorerKind.Preference or ScorerKind.Discriminator)
            throw new InvalidOperationException($"a {Name} model trains with {(Kind == ScorerKind.Preference ? nameof(TrainPreferences) : nameof(TrainDiscriminator))}");
        if (data.Count == 0) throw new ArgumentException("no training trajectories");
        var encoded = data.Select(d => (Enc: Encode(new ScoringInput(d.Env, d.Problem, d.Lines)), d)).ToArray();
        var optimizer = optim.AdamW(_net.parameters(), lr: config.LearningRate, weight_decay: config.WeightDecay);
        var rng = new Rng(StableHash.Mix(config.Seed ^ 0xA11CE));
        var losses = new List<float>(config.Steps);
        int b = Math.Min(config.BatchSize, data.Count);
        for (int step = 0; step < config.Steps; step++)
        {
            foreach (var g in optimizer.ParamGroups) g.LearningRate = config.LearningRate * Math.Min(1.0, (step + 1) / 20.0);
            var pick = new int[b];
            for (int i = 0; i < b; i++) pick[i] = rng.NextInt(encoded.Length);
            int width = pick.Max(i => encoded[i].Enc.Ids.Length);
            var ids = new long[b * width];
            var index = new List<long>();
            var target = new List<float>();
            for (int i = 0; i < b; i++)
            {
                var (enc, traj) = encoded[pick[i]];
                Array.Copy(enc.Ids, 0, ids, i * width, enc.Ids.Length);
                for (int j = 0; j < enc.Ends.Length; j++)
                {
                    if (enc.Ends[j] < 0) continue;
                    float label = Kind switch
                    {
                        ScorerKind.Outcome => j == enc.Ends.Length - 1 ? traj.Outcome : float.NaN,
                        ScorerKind.Process => traj.StepValues[j],
                        _ => traj.Outcome,
                    };
                    if (float.IsNaN(label)) continue;
                    index.Add(i * width + enc.Ends[j]);
                    target.Add(label);
                }
            }
            if (index.Count == 0) { losses.Add(float.NaN); continue; }
            using var scope = NewDisposeScope();
            _net.train();
            optimizer.zero_grad();
            var logits = _net.forward(tensor(ids, [b, width], device: Device)).reshape(-1).index_select(0, tensor(index.ToArray(), device: Device));
            var y = tensor(target.ToArray(), device: Device);
            var loss = Kind == ScorerKind.Value
                ? nn.functional.mse_loss(logits.sigmoid(), y)
                : nn.functional.binary_cross_entropy_with_logits(logits, y);
            loss.backward();
            nn.utils.clip_grad_norm_(_net.parameters(), 1.0);
            optimizer.step();
            float l = loss.item<float>();
            losses.Add(l);
            onStep?.Invoke(step + 1, l);
        }
        _net.eval();
        return losses;
    }

    /// <summary>
    /// Calibration against the exact step values: every labelled line's score (for an ORM, its outcome estimate after
    /// that line) against its exact value; for an ORM also the final score against the outcome.
    /// </summary>
    public (CalibrationReport Steps, CalibrationReport Outcomes) Evaluate(IReadOnlyList<LabelledTrajectory> data)
    {
        var scores = new TrajectoryScore[data.Count];
        ScoreTrajectories(data.Select(d => new ScoringInput(d.Env, d.Problem, d.Lines)).ToArray(), scores);
        var sp = new List<double>();
        var sy = new List<bool>();
        var op = new List<double>();
        var oy = new List<bool>();
        for (int i = 0; i < data.Count; i++)
        {
            for (int j = 0; j < data[i].StepValues.Length; j++)
            {
                if (float.IsNaN(data[i].StepValues[j]) || float.IsNaN(scores[i].StepScores[j])) continue;
                sp.Add(scores[i].StepScores[j]);
                sy.Add(data[i].StepValues[j] >= 0.5f);
            }
            if (!float.IsNaN(scores[i].Outcome)) { op.Add(scores[i].Outcome); oy.Add(data[i].Outcome >= 0.5f); }
        }
        return (CalibrationReport.Compute(sp, sy), CalibrationReport.Compute(op, oy));
    }

    /// <summary>
    /// What the model was trained on (written by <c>sim train rm</c>: the environment, the policy spec whose samples it
    /// learned from, the labels), so a search that loads it for another policy or environment can say so; null when
    /// unknown. Saved with the checkpoint.
    /// </summary>
    public JsonObject? TrainedOn { get; set; }

    /// <summary>Saves a checkpoint folder.</summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        var cfg = new JsonObject { ["format"] = 1, ["kind"] = Name, ["model"] = JsonSerializer.SerializeToNode(Config) };
        if (TrainedOn is not null) cfg["trained_on"] = TrainedOn.DeepClone();
        File.WriteAllText(Path.Combine(dir, "config.json"), cfg.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        _net.save(Path.Combine(dir, "model.bin"));
    }

    /// <summary>Loads a checkpoint folder written by <see cref="Save"/>.</summary>
    public static RewardModel Load(string dir, Device? device = null)
    {
        string cfgPath = Path.Combine(dir, "config.json");
        if (!File.Exists(cfgPath)) throw new FileNotFoundException($"checkpoint file '{cfgPath}' not found");
        JsonObject cfg;
        TransformerConfig shape;
        ScorerKind kind;
        try
        {
            cfg = JsonNode.Parse(File.ReadAllText(cfgPath)) as JsonObject ?? throw new InvalidDataException("config.json is not an object");
            kind = KindOf((string?)cfg["kind"]) ?? throw new InvalidDataException($"unknown reward model kind '{(string?)cfg["kind"]}'");
            shape = (cfg["model"] ?? throw new InvalidDataException("config.json has no model")).Deserialize<TransformerConfig>()!.Validate();
        }
        catch (JsonException ex) { throw new InvalidDataException($"config.json: {ex.Message}"); }
        catch (ArgumentException ex) { throw new InvalidDataException($"config.json: {ex.Message}"); }
        var tokenizer = SimTokenizer.Load(Path.Combine(dir, "tokenizer.json"));
        var dev = device ?? TorchDevice.Default;
        var net = new Net(shape);
        try { net.load(Path.Combine(dir, "model.bin"), strict: true); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { throw new InvalidDataException($"model.bin: {ex.Message}"); }
        net.to(dev);
        return new RewardModel(kind, net, tokenizer, dev) { TrainedOn = cfg["trained_on"] as JsonObject };
    }

    /// <inheritdoc />
    public void Dispose() => _net.Dispose();

    // Backbone plus a scalar head: logits [B, T].
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly TransformerModel backbone;
        private readonly Linear head;

        public Net(TransformerConfig config) : base("sim_reward_model")
        {
            backbone = new TransformerModel(config);
            head = nn.Linear(config.Width, 1);
            RegisterComponents();
        }

        public TransformerModel Backbone => backbone;

        public override Tensor forward(Tensor ids) => head.forward(backbone.Hidden(ids)).squeeze(-1);
    }
}
