using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>A pre-norm Transformer block (GPT-2): x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
public sealed class Block : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Mlp mlp;

    /// <summary>Builds the block for <paramref name="config"/>.</summary>
    public Block(GptConfig config) : base(nameof(Block))
    {
        ln_1 = nn.LayerNorm(config.Embed, bias: config.Bias);
        attn = new CausalSelfAttention(config);
        ln_2 = nn.LayerNorm(config.Embed, bias: config.Bias);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    /// <summary>The block's attention layer (for attention maps).</summary>
    public CausalSelfAttention Attention => attn;

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor x) => ForwardCached(x, null, 0);

    /// <summary>Forward with an optional KV cache.</summary>
    public Tensor ForwardCached(Tensor x, KvCache? cache, int layer)
    {
        x = x + attn.ForwardCached(ln_1.forward(x), cache, layer);
        return x + mlp.forward(ln_2.forward(x));
    }
}
