using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// Multi-head self-attention (Vaswani et al., 2017), the course's one attention module. Causal (GPT): every position
/// attends to itself and earlier ones only; with the causal flag off (a masked-LM encoder, MAE's and the text
/// encoder's <see cref="Vision.TransformerBlock"/>) every position attends to all. The fast path calls
/// <c>scaled_dot_product_attention</c>; <see cref="Explicit"/> spells the same computation out step by step for
/// teaching and for attention maps.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly Dropout resid_dropout;
    private readonly int _heads;
    private readonly double _dropout;
    private readonly bool _causal;

    /// <summary>Builds the layer for <paramref name="config"/>.</summary>
    public CausalSelfAttention(GptConfig config) : this(config.Embed, config.Heads, config.Causal, config.Bias, config.Dropout) { }

    /// <summary>Builds the layer from its sizes.</summary>
    /// <param name="embed">C, the token width.</param>
    /// <param name="heads">Heads; C must divide by it.</param>
    /// <param name="causal">Mask the future (GPT) or not (an encoder).</param>
    /// <param name="bias">Biases in the two linear maps.</param>
    /// <param name="dropout">Dropout on the attention weights and the output, in training.</param>
    public CausalSelfAttention(int embed, int heads, bool causal, bool bias = true, double dropout = 0.0) : base(nameof(CausalSelfAttention))
    {
        if (embed % heads != 0) throw new ArgumentException($"Embed {embed} is not divisible by Heads {heads}");
        c_attn = nn.Linear(embed, 3 * embed, hasBias: bias);
        c_proj = nn.Linear(embed, embed, hasBias: bias);
        resid_dropout = nn.Dropout(dropout);
        _heads = heads;
        _dropout = dropout;
        _causal = causal;
        RegisterComponents();
    }

    /// <summary>When true, <see cref="forward(Tensor)"/> uses the explicit path and keeps <see cref="LastAttention"/>.</summary>
    public bool UseExplicit { get; set; }

    /// <summary>Attention weights (B, nh, T, T) of the last explicit forward pass (detached), or null.</summary>
    public Tensor? LastAttention { get; private set; }

    /// <summary>x (B, T, C) → (B, T, C) with the causal mask.</summary>
    public override Tensor forward(Tensor x) => ForwardCached(x, null, 0);

    /// <summary>Forward with an optional KV cache for layer <paramref name="layer"/>.</summary>
    public Tensor ForwardCached(Tensor x, KvCache? cache, int layer)
    {
        var (B, T, C) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = c_attn.forward(x).split(C, 2);
        // (B, T, C) → (B, nh, T, hs)
        Tensor Heads(Tensor t) => t.view(B, T, _heads, C / _heads).transpose(1, 2);
        var (q, k, v) = (Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));
        long past = 0;
        if (cache is not null)
        {
            past = cache.LengthOf(layer);
            (k, v) = cache.Append(layer, k, v);
        }
        Tensor y;
        if (!_causal)
        {
            if (cache is not null) throw new InvalidOperationException("a bidirectional encoder (Causal = false) has no KV cache: every position reads the future");
            y = UseExplicit ? Explicit(q, k, v, past, out _, training ? _dropout : 0, causal: false)
                            : nn.functional.scaled_dot_product_attention(q, k, v, p: training ? _dropout : 0);
        }
        else if (UseExplicit) y = Explicit(q, k, v, past, out var att, training ? _dropout : 0);
        else if (past == 0) y = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true, p: training ? _dropout : 0);
        else if (T == 1) y = nn.functional.scaled_dot_product_attention(q, k, v, p: training ? _dropout : 0); // the newest token sees all
        else y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: CausalMask(T, past, x.device), p: training ? _dropout : 0);
        y = y.transpose(1, 2).contiguous().view(B, T, C); // re-assemble the heads side by side
        return resid_dropout.forward(c_proj.forward(y));
    }

    /// <summary>
    /// softmax(q kᵀ / √d + M) v written out: scores, the causal mask M (−∞ above the diagonal), softmax, weighted sum.
    /// </summary>
    /// <param name="q">Queries (B, nh, T, hs).</param>
    /// <param name="k">Keys (B, nh, past + T, hs).</param>
    /// <param name="v">Values (B, nh, past + T, hs).</param>
    /// <param name="past">Cached positions before the queries.</param>
    /// <param name="attention">The weights (B, nh, T, past + T).</param>
    /// <param name="dropout">Dropout on the weights (training only).</param>
    /// <param name="causal">False leaves out the mask (a bidirectional encoder).</param>
    public Tensor Explicit(Tensor q, Tensor k, Tensor v, long past, out Tensor attention, double dropout = 0, bool causal = true)
    {
        var T = q.shape[2];
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.shape[3]); // (B, nh, T, past+T)
        if (causal) scores = scores.masked_fill(CausalMask(T, past, q.device).logical_not(), double.NegativeInfinity);
        attention = nn.functional.softmax(scores, -1);
        LastAttention?.Dispose();
        LastAttention = attention.detach().DetachFromDisposeScope(); // stays on the device: no host copy per layer
        var att = dropout > 0 ? nn.functional.dropout(attention, dropout) : attention;
        return att.matmul(v); // (B, nh, T, hs)
    }

    /// <summary>True where query i (at position past + i) may look at key j: j ≤ past + i. Shape (T, past + T).</summary>
    public static Tensor CausalMask(long T, long past, Device device) =>
        ones(T, past + T, dtype: ScalarType.Bool, device: device).tril(past);
}
