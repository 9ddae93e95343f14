using Sim.Agents.Demonstrators;
using Sim.Agents.Policies;
using Sim.Engine;

namespace Sim.Agents.Transformer;

/// <summary>
/// An <see cref="IPolicy"/> backed by a <see cref="TransformerLm"/>: each context becomes
/// <c>bos + DemoPrompt + lines</c>, and one batched, KV-cached sampling call draws K next lines for all contexts.
/// <see cref="ProposedStep.LogProb"/> is the line's summed token log-probability (delimiter included);
/// <see cref="ProposedStep.Confidence"/> is the geometric mean of its token probabilities. Draws come from one stream
/// seeded by the call's seed, so they depend on the batch's order (unlike <see cref="SimulatedPolicy"/>).
/// </summary>
public sealed class TransformerPolicy(TransformerLm lm, SamplingSettings settings) : IPolicy
{
    /// <summary>The model.</summary>
    public TransformerLm Lm { get; } = lm;

    /// <summary>Sampling settings; <see cref="SamplingSettings.Samples"/> is replaced by each call's k.</summary>
    public SamplingSettings Settings { get; } = settings.Validate();

    /// <inheritdoc />
    public string Name => "transformer";

    /// <inheritdoc />
    public void Propose(IReadOnlyList<PolicyContext> contexts, int k, ProposedStep[] output, ulong seed)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be >= 1");
        if (output.Length < contexts.Count * k) throw new ArgumentException($"output needs {contexts.Count * k} slots");
        var encoded = contexts.Select(c => Lm.EncodeContext(DemoPrompt.For(c.Env, c.Problem), c.Lines)).ToArray();
        var rng = new Rng(StableHash.Mix(seed ^ 0x7A4E_5F00_0000_0001UL));
        var steps = Lm.SampleSteps(encoded, Settings with { Samples = k }, ref rng);
        for (int i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            double logp = s.LogProb;
            output[i] = new ProposedStep(s.Text, StepProtocol.Classify(s.Text), logp, Math.Exp(logp / Math.Max(1, s.Tokens.Length)), s.Tokens.Length);
        }
    }
}
