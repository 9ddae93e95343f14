namespace Sim.Agents.Transformer;

/// <summary>One step drawn from a <see cref="TransformerLm"/>.</summary>
/// <param name="Text">The step's text, without the delimiter or end token.</param>
/// <param name="Tokens">The sampled token ids, including the delimiter or end token that stopped it.</param>
/// <param name="TokenLogProbs">Each token's log-probability under the model at temperature 1 (not the tempered or
/// truncated sampling distribution), so that they are comparable across sampling settings.</param>
/// <param name="Stop">Why the step ended.</param>
public sealed record SampledStep(string Text, int[] Tokens, float[] TokenLogProbs, StopReason Stop)
{
    /// <summary>The step's log-probability: the sum of <see cref="TokenLogProbs"/>.</summary>
    public double LogProb => TokenLogProbs.Sum(x => (double)x);
}
