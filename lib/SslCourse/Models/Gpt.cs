using SslCourse.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// A decoder-only Transformer language model (GPT-2, Radford et al., 2019) in the spirit of nanoGPT's model.py:
/// tokens (B, T) → logits (B, T, V) whose row t scores x_{t+1} given x_0..x_t. The output layer reuses the token
/// embedding matrix (weight tying, Press &amp; Wolf, 2017).
/// </summary>
public sealed class Gpt : Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly Dropout drop;
    private readonly ModuleList<Block> h;
    private readonly LayerNorm ln_f;

    /// <summary>The configuration this model was built with.</summary>
    public GptConfig Config { get; }

    /// <summary>Builds a randomly initialised GPT (normal(0, 0.02), residual projections scaled by 1/√(2L)).</summary>
    public Gpt(GptConfig config) : base(nameof(Gpt))
    {
        Config = config;
        wte = nn.Embedding(config.VocabSize, config.Embed);
        wpe = nn.Embedding(config.BlockSize, config.Embed);
        drop = nn.Dropout(config.Dropout);
        h = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
        ln_f = nn.LayerNorm(config.Embed, bias: config.Bias);
        RegisterComponents();
        using (no_grad())
        {
            foreach (var (name, p) in named_parameters())
            {
                if (name.EndsWith("bias")) nn.init.zeros_(p);
                else if (name.Contains("ln_")) nn.init.ones_(p);
                else if (name.EndsWith("c_proj.weight")) nn.init.normal_(p, 0, 0.02 / Math.Sqrt(2 * config.Layers));
                else nn.init.normal_(p, 0, 0.02);
            }
        }
    }

    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<Block> Blocks => h.ToList();

    /// <summary>Number of parameters (the position table included).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>tokens (B, T) → logits (B, T, V).</summary>
    public override Tensor forward(Tensor idx) => Logits(Hidden(idx));

    /// <summary>Logits for the tokens <paramref name="idx"/>, reading and extending <paramref name="cache"/> when given.</summary>
    public Tensor ForwardCached(Tensor idx, KvCache? cache) => Logits(Hidden(idx, cache));

    /// <summary>The last hidden states h_t (B, T, C) after the final LayerNorm (what a finetuning head reads).</summary>
    public Tensor Hidden(Tensor idx, KvCache? cache = null)
    {
        var T = idx.shape[1];
        long past = cache?.Length ?? 0;
        if (past + T > Config.BlockSize)
            throw new ArgumentException($"sequence of {past + T} tokens is longer than the block size {Config.BlockSize}");
        using var pos = arange(past, past + T, dtype: ScalarType.Int64, device: idx.device); // (T)
        var x = drop.forward(wte.forward(idx) + wpe.forward(pos)); // (B, T, C)
        for (int i = 0; i < h.Count; i++) x = h[i].ForwardCached(x, cache, i);
        return ln_f.forward(x);
    }

    /// <summary>Hidden states (B, T, C) → logits (B, T, V) through the tied embedding matrix.</summary>
    public Tensor Logits(Tensor hidden) => nn.functional.linear(hidden, wte.weight!);

    /// <summary>Mean next-token negative log-likelihood (nats/token) of <paramref name="targets"/> (B, T) given <paramref name="idx"/> (B, T).</summary>
    public Tensor Loss(Tensor idx, Tensor targets)
    {
        return LmLoss.Loss(forward(idx), targets);
    }

    /// <summary>Attention weights of every layer, each (B, nh, T, T), via the explicit path (no gradient).</summary>
    public IReadOnlyList<Tensor> AttentionMaps(Tensor idx)
    {
        using var _ = no_grad();
        foreach (var b in h) b.Attention.UseExplicit = true;
        try
        {
            using var scope = NewDisposeScope();
            forward(idx);
            return h.Select(b => b.Attention.LastAttention!.clone().MoveToOuterDisposeScope()).ToList();
        }
        finally { foreach (var b in h) b.Attention.UseExplicit = false; }
    }

    /// <summary>Switches every attention layer between the fused kernel and the explicit step-by-step path.</summary>
    public void UseExplicitAttention(bool on) { foreach (var b in h) b.Attention.UseExplicit = on; }
}
