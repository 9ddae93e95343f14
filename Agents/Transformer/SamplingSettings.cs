namespace Sim.Agents.Transformer;

/// <summary>How <see cref="TransformerLm.SampleSteps"/> draws one step per sample.</summary>
/// <param name="Samples">K: steps drawn per context.</param>
/// <param name="Temperature">Logits are divided by this before sampling (ignored when <paramref name="Greedy"/>).</param>
/// <param name="TopP">Nucleus sampling: draw only from the smallest set of tokens whose probability reaches this (1 = off).</param>
/// <param name="Greedy">Take the most likely token every time (ties: lowest id).</param>
/// <param name="MaxStepTokens">A step that has not ended after this many tokens is cut (<see cref="StopReason.Length"/>).</param>
public sealed record SamplingSettings(int Samples = 1, double Temperature = 1.0, double TopP = 1.0, bool Greedy = false, int MaxStepTokens = 48)
{
    /// <summary>Greedy decoding, one sample.</summary>
    public static SamplingSettings GreedyOne { get; } = new(Greedy: true);

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> with the reason.</summary>
    public SamplingSettings Validate()
    {
        if (Samples < 1) throw new ArgumentException("Samples must be >= 1");
        if (!Greedy && !(Temperature > 0)) throw new ArgumentException("Temperature must be > 0 (use Greedy for 0)");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException("TopP must be in (0, 1]");
        if (MaxStepTokens < 1) throw new ArgumentException("MaxStepTokens must be >= 1");
        return this;
    }
}
