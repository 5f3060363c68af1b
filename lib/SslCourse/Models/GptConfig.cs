namespace SslCourse.Models;

/// <summary>
/// Size of a GPT (Radford et al., 2018/2019), named as in nanoGPT's <c>GPTConfig</c>.
/// </summary>
/// <param name="VocabSize">Number of token ids V (the logits' last dimension).</param>
/// <param name="BlockSize">Longest context T the position table covers.</param>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Heads">Attention heads per block (must divide <paramref name="Embed"/>).</param>
/// <param name="Embed">Model width C.</param>
/// <param name="Dropout">Dropout rate in training.</param>
/// <param name="Bias">Biases in Linear and LayerNorm layers (GPT-2 has them).</param>
/// <param name="TanhGelu">The MLP uses GELU's tanh approximation, as GPT-2 did (Hendrycks &amp; Gimpel, 2016), instead of the exact erf form.</param>
/// <param name="Causal">True for a decoder (each position attends to itself and earlier ones); false for a bidirectional
/// encoder as in BERT (Devlin et al., 2019), where every position attends to every other.</param>
public sealed record GptConfig(int VocabSize, int BlockSize, int Layers, int Heads, int Embed, double Dropout = 0.0, bool Bias = true, bool TanhGelu = false,
    bool Causal = true)
{
    /// <summary>A few-second model for tests and ci: 2 layers, 4 heads, 64 wide, context 64.</summary>
    public static GptConfig Tiny => new(VocabSize: 96, BlockSize: 64, Layers: 2, Heads: 4, Embed: 64);

    /// <summary>nanoGPT's shakespeare_char setup: 6 layers, 6 heads, 384 wide, context 256, dropout 0.2.</summary>
    public static GptConfig ShakespeareChar => new(VocabSize: 65, BlockSize: 256, Layers: 6, Heads: 6, Embed: 384, Dropout: 0.2, Bias: false);

    /// <summary>GPT-2 small (124M parameters): 12 layers, 12 heads, 768 wide, context 1024, vocabulary 50257.</summary>
    public static GptConfig Gpt2Small => new(VocabSize: 50257, BlockSize: 1024, Layers: 12, Heads: 12, Embed: 768, Dropout: 0.0, Bias: true, TanhGelu: true);

    /// <summary>Width of one head, C / heads.</summary>
    public int HeadSize => Embed / Heads;
}
