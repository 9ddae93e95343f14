using System.Security.Cryptography;
using Sim.Agents.Policies;
using Sim.Engine;
using Sim.Environments;

namespace Sim.Agents.Learning.Learners;

/// <summary>
/// The cheap learnable policy (<c>--policy tabular</c>): a softmax over the environment's candidate steps
/// (<see cref="IStepEnumerator"/>) whose logits are entries of a hashed table keyed by (problem, steps so far, step),
/// with a value table keyed by (problem, steps so far) for PPO. Gradients are exact and computed in closed form
/// (∇ log π(a|s) = e_a − π(·|s) on the state's slots), Adam updates the tables, and everything is double precision on
/// one thread, so runs are bit-exact and take seconds. Being tabular it learns the problems it trains on and does not
/// generalise to unseen ones: its task is a fixed pool of problems.
/// </summary>
public sealed class TabularLearner : ILearner
{
    private const string Magic = "sim-tabular-v1";
    private readonly int _bits;
    private double[] _theta, _m, _v;
    private double[] _value, _vm, _vv;
    private long _adamSteps;

    /// <summary>Makes a learner with 2^<paramref name="tableBits"/> policy slots (all logits 0: the uniform policy).</summary>
    public TabularLearner(int tableBits = 18)
    {
        if (tableBits < 8 || tableBits > 26) throw new ArgumentException("tableBits must be in 8..26");
        _bits = tableBits;
        _theta = new double[1 << tableBits]; _m = new double[_theta.Length]; _v = new double[_theta.Length];
        _value = new double[1 << (tableBits - 2)]; _vm = new double[_value.Length]; _vv = new double[_value.Length];
    }

    /// <inheritdoc />
    public string Name => "tabular";

    /// <inheritdoc />
    public int Version { get; private set; }

    /// <inheritdoc />
    public bool HasValueHead => true;

    /// <inheritdoc />
    public bool AnswersWithSteps => true;

    /// <inheritdoc />
    public ExperienceStep[] Act(IReadOnlyList<OpenEpisode> open, bool greedy, ref Rng rng)
    {
        var result = new ExperienceStep[open.Count];
        for (int i = 0; i < open.Count; i++)
        {
            var ep = open[i];
            if (ep.Env is not IStepEnumerator lister)
                throw new NotSupportedException($"the tabular policy needs an environment that lists its candidate steps; '{ep.Env.Name}' does not");
            var ctx = Encode(ep, lister.CandidateSteps(ep.Problem, ep.State));
            if (ctx.Candidates.Count == 0)
            {
                result[i] = new ExperienceStep("", StepKind.Step, ctx, [], [], 0, VerdictKind.Malformed, Solvability.Unknown, EndsEpisode: true);
                continue;
            }
            var lp = LogSoftmax(_theta, ctx.Slots);
            int a = 0;
            if (greedy) { for (int k = 1; k < lp.Length; k++) if (lp[k] > lp[a]) a = k; }
            else
            {
                double u = rng.NextDouble(), acc = 0;
                a = lp.Length - 1;
                for (int k = 0; k < lp.Length; k++) { acc += Math.Exp(lp[k]); if (u < acc) { a = k; break; } }
            }
            result[i] = new ExperienceStep(ctx.Candidates[a], StepKind.Step, ctx, [a], [(float)lp[a]], 0, VerdictKind.Ok, Solvability.Unknown);
        }
        return result;
    }

    // Slots hash the problem and every line so far, so the same state reached by the same steps shares its logits.
    // Candidates are deduplicated (an environment may list one step twice, e.g. 2 - 2 from either copy of 2): a
    // repeated step would share its slot and weigh twice in the softmax.
    private TabularContext Encode(OpenEpisode ep, IReadOnlyList<string> listed)
    {
        var candidates = listed.Distinct(StringComparer.Ordinal).ToArray();
        ulong h = StableHash.Of(ep.Problem.Id);
        foreach (var line in ep.Lines) h = StableHash.Combine(h, StableHash.Of(line));
        var slots = new int[candidates.Length];
        int mask = (1 << _bits) - 1;
        for (int k = 0; k < slots.Length; k++) slots[k] = (int)(StableHash.Combine(h, StableHash.Of(candidates[k])) & (ulong)mask);
        return new TabularContext(candidates, slots, (int)(StableHash.Mix(h) & (ulong)(_value.Length - 1)));
    }

    private static double[] LogSoftmax(double[] table, int[] slots)
    {
        var lp = new double[slots.Length];
        double max = double.NegativeInfinity;
        for (int k = 0; k < slots.Length; k++) max = Math.Max(max, table[slots[k]]);
        double sum = 0;
        for (int k = 0; k < slots.Length; k++) sum += Math.Exp(table[slots[k]] - max);
        double log = max + Math.Log(sum);
        for (int k = 0; k < slots.Length; k++) lp[k] = table[slots[k]] - log;
        return lp;
    }

    /// <inheritdoc />
    public float[][] LogProbs(IReadOnlyList<ExperienceStep> steps) => LogProbsUnder(_theta, steps);

    private static float[][] LogProbsUnder(double[] theta, IReadOnlyList<ExperienceStep> steps)
    {
        var result = new float[steps.Count][];
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (s.Units.Length == 0) { result[i] = []; continue; }
            var ctx = Context(s);
            result[i] = [(float)LogSoftmax(theta, ctx.Slots)[s.Units[0]]];
        }
        return result;
    }

    private static TabularContext Context(ExperienceStep s) =>
        s.Context as TabularContext ?? throw new ArgumentException("the step was not written by a tabular policy");

    /// <inheritdoc />
    public float[]? Values(IReadOnlyList<ExperienceStep> steps)
    {
        var values = new float[steps.Count];
        for (int i = 0; i < steps.Count; i++) values[i] = steps[i].Units.Length == 0 ? 0 : (float)_value[Context(steps[i]).ValueSlot];
        return values;
    }

    /// <inheritdoc />
    public UpdateResult Update(IReadOnlyList<ExperienceStep> steps, LossFunction loss, double learningRate)
    {
        var lps = LogProbs(steps);
        var values = Values(steps);
        var grad = loss(lps, values);
        var g = new Dictionary<int, double>();
        var gv = new Dictionary<int, double>();
        long units = 0;
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (s.Units.Length == 0) continue;
            var ctx = Context(s);
            double c = grad.PolicyGrad[i][0];
            if (c != 0)
            {
                // d log π(a) / d θ_k = 1[k = a] − π_k over the state's slots.
                var lp = LogSoftmax(_theta, ctx.Slots);
                for (int k = 0; k < lp.Length; k++)
                {
                    double d = (k == s.Units[0] ? 1 : 0) - Math.Exp(lp[k]);
                    g[ctx.Slots[k]] = g.GetValueOrDefault(ctx.Slots[k]) + c * d;
                }
                units++;
            }
            if (grad.ValueGrad is { } vg && vg[i] != 0) gv[ctx.ValueSlot] = gv.GetValueOrDefault(ctx.ValueSlot) + vg[i];
        }
        double norm = Math.Sqrt(g.Values.Sum(x => x * x) + gv.Values.Sum(x => x * x));
        _adamSteps++;
        Adam(_theta, _m, _v, g, learningRate);
        Adam(_value, _vm, _vv, gv, learningRate);
        Version++;
        return new UpdateResult(grad.Loss, norm, units);
    }

    // Lazy (sparse) Adam, as PyTorch's SparseAdam: only slots with a gradient update their moments and move, so an
    // update costs time in proportion to the batch, not to the 2^18-slot table.
    private void Adam(double[] p, double[] m, double[] v, Dictionary<int, double> g, double lr)
    {
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double c1 = 1 - Math.Pow(b1, _adamSteps), c2 = 1 - Math.Pow(b2, _adamSteps);
        foreach (var k in g.Keys.Order())
        {
            double gk = g[k];
            m[k] = b1 * m[k] + (1 - b1) * gk;
            v[k] = b2 * v[k] + (1 - b2) * gk * gk;
            p[k] -= lr * (m[k] / c1) / (Math.Sqrt(v[k] / c2) + eps);
        }
    }

    /// <inheritdoc />
    public IFrozenPolicy Freeze() => new Frozen((double[])_theta.Clone());

    private sealed class Frozen(double[] theta) : IFrozenPolicy
    {
        public float[][] LogProbs(IReadOnlyList<ExperienceStep> steps) => LogProbsUnder(theta, steps);
        public void Dispose() { }
    }

    /// <inheritdoc />
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        using var w = new BinaryWriter(File.Create(Path.Combine(dir, "tabular.bin")));
        w.Write(Magic); w.Write(_bits); w.Write(Version); w.Write(_adamSteps);
        foreach (var a in new[] { _theta, _m, _v, _value, _vm, _vv }) foreach (var x in a) w.Write(x);
    }

    /// <inheritdoc />
    public void Load(string dir)
    {
        string path = Path.Combine(dir, "tabular.bin");
        if (!File.Exists(path)) throw new InvalidDataException($"{dir} is not a tabular checkpoint (no tabular.bin)");
        using var r = new BinaryReader(File.OpenRead(path));
        string magic;
        try { magic = r.ReadString(); } catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException($"{path}: truncated"); }
        if (magic != Magic) throw new InvalidDataException($"{path}: not a tabular checkpoint");
        int bits = r.ReadInt32();
        if (bits != _bits) throw new InvalidDataException($"{path}: a table of 2^{bits} slots, this policy has 2^{_bits}");
        Version = r.ReadInt32(); _adamSteps = r.ReadInt64();
        try { foreach (var a in new[] { _theta, _m, _v, _value, _vm, _vv }) for (int i = 0; i < a.Length; i++) a[i] = r.ReadDouble(); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path}: truncated"); }
    }

    /// <inheritdoc />
    public string WeightsHash()
    {
        var bytes = new byte[(_theta.Length + _value.Length) * 8];
        Buffer.BlockCopy(_theta, 0, bytes, 0, _theta.Length * 8);
        Buffer.BlockCopy(_value, 0, bytes, _theta.Length * 8, _value.Length * 8);
        return Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
    }

    /// <inheritdoc />
    public void Dispose() { }
}
