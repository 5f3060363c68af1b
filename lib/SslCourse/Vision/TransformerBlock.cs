using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>A pre-norm transformer block (Vaswani et al., 2017; ViT, Dosovitskiy et al., 2021): x + MHA(LN x), then x + MLP(LN x).</summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1, ln_2;
    private readonly Linear c_attn, c_proj;
    private readonly Sequential mlp;
    private readonly int heads;

    /// <summary>Builds one block.</summary>
    /// <param name="dim">Token width.</param>
    /// <param name="heads">Attention heads (dim must divide evenly).</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of dim.</param>
    public TransformerBlock(int dim, int heads, int mlpRatio = 2) : base("TransformerBlock")
    {
        if (dim % heads != 0) throw new ArgumentException($"dim {dim} is not divisible by heads {heads}");
        this.heads = heads;
        ln_1 = LayerNorm(dim);
        c_attn = Linear(dim, 3 * dim);
        c_proj = Linear(dim, dim);
        ln_2 = LayerNorm(dim);
        mlp = Sequential(Linear(dim, mlpRatio * dim), GELU(), Linear(mlpRatio * dim, dim));
        RegisterComponents();
    }

    /// <summary>(B, L, C) → (B, L, C); every token attends to every token (no causal mask).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1], c = x.shape[2];
        var qkv = c_attn.forward(ln_1.forward(x)).view(b, l, 3, heads, c / heads).permute(2, 0, 3, 1, 4); // (3, B, h, L, c/h)
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        var att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(c / heads)).softmax(-1);                // (B, h, L, L)
        var y = att.matmul(v).transpose(1, 2).reshape(b, l, c);                                             // (B, L, C)
        x = x + c_proj.forward(y);
        return (x + mlp.forward(ln_2.forward(x))).MoveToOuterDisposeScope();
    }
}
