using System.Text.Json.Serialization;

namespace Sim.Agents.Transformer;

/// <summary>
/// Shape of a decoder-only transformer (GPT-2 style: learned positions, pre-LayerNorm blocks, GELU MLP, tied output head).
/// The default is the small model: 4 layers, width 128, 4 heads, context 256, about 1M parameters with the
/// default tokenizer.
/// </summary>
/// <param name="VocabSize">Number of token ids (from the tokenizer).</param>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Width">Residual width (d_model).</param>
/// <param name="Heads">Attention heads; must divide <paramref name="Width"/>.</param>
/// <param name="Context">Maximum sequence length (learned positions).</param>
/// <param name="MlpRatio">MLP hidden width as a multiple of <paramref name="Width"/>.</param>
public sealed record TransformerConfig(
    int VocabSize,
    int Layers = 4,
    int Width = 128,
    int Heads = 4,
    int Context = 256,
    int MlpRatio = 4)
{
    /// <summary>Width of one head.</summary>
    [JsonIgnore] public int HeadWidth => Width / Heads;

    /// <summary>Number of trainable parameters (the output head is tied to the token embedding).</summary>
    [JsonIgnore]
    public long Parameters =>
        (long)VocabSize * Width + (long)Context * Width
        + Layers * (2L * 2 * Width + (3L * Width * Width + 3 * Width) + (Width * (long)Width + Width)
                    + (MlpRatio * (long)Width * Width + MlpRatio * Width) + (MlpRatio * (long)Width * Width + Width))
        + 2L * Width;

    /// <summary>
    /// Forward-plus-backward FLOPs per trained token for a sequence of <paramref name="seqLen"/>, in the usual
    /// 6N + attention accounting (Kaplan et al.; PaLM appendix B): 6 per weight in the matmuls, plus 12·L·T·d for attention.
    /// </summary>
    public double TrainFlopsPerToken(int seqLen)
    {
        double matmulWeights = Layers * (3.0 * Width * Width + Width * Width + 2.0 * MlpRatio * Width * Width) + (double)VocabSize * Width;
        return 6 * matmulWeights + 12.0 * Layers * seqLen * Width;
    }

    /// <summary>Checks the shape; throws <see cref="ArgumentException"/> with the reason.</summary>
    public TransformerConfig Validate()
    {
        if (VocabSize < 8) throw new ArgumentException("VocabSize must be at least 8");
        if (Layers < 1 || Layers > 64) throw new ArgumentException("Layers must be in 1..64");
        if (Width < 8 || Width > 8192) throw new ArgumentException("Width must be in 8..8192");
        if (Heads < 1 || Width % Heads != 0) throw new ArgumentException("Heads must divide Width");
        if (Context < 8 || Context > 65536) throw new ArgumentException("Context must be in 8..65536");
        if (MlpRatio < 1 || MlpRatio > 16) throw new ArgumentException("MlpRatio must be in 1..16");
        return this;
    }
}
