using SslCourse.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>
/// A pre-norm transformer block (Vaswani et al., 2017; ViT, Dosovitskiy et al., 2021): x + MHA(LN x), then
/// x + MLP(LN x), with the course's one attention module, bidirectional. The block's attention runs the explicit
/// path (scores, softmax, weighted sum), so <see cref="Attention"/>'s <c>LastAttention</c> holds the last map.
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1, ln_2;
    private readonly CausalSelfAttention attn;
    private readonly Sequential mlp;

    /// <summary>Builds a block of width <paramref name="dim"/>.</summary>
    /// <param name="dim">Token width; must divide by <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="mlpRatio">Hidden width of the MLP as a multiple of <paramref name="dim"/>.</param>
    public TransformerBlock(int dim, int heads, int mlpRatio = 2) : base("TransformerBlock")
    {
        if (dim % heads != 0) throw new ArgumentException($"dim {dim} is not divisible by heads {heads}");
        ln_1 = LayerNorm(dim);
        attn = new CausalSelfAttention(dim, heads, causal: false) { UseExplicit = true };
        ln_2 = LayerNorm(dim);
        mlp = Sequential(Linear(dim, mlpRatio * dim), GELU(), Linear(mlpRatio * dim, dim));
        RegisterComponents();
    }

    /// <summary>The block's self-attention.</summary>
    public CausalSelfAttention Attention => attn;

    /// <summary>(B, L, C) → (B, L, C).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = x + attn.forward(ln_1.forward(x));                                 // every token attends to all L
        return (x + mlp.forward(ln_2.forward(x))).MoveToOuterDisposeScope();
    }
}
