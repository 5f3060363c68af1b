using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>The position-wise feed-forward network: C → 4C → GELU → C (Vaswani et al., 2017; GPT-2's GELU).</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear c_fc;
    private readonly GELU gelu;
    private readonly Linear c_proj;
    private readonly Dropout dropout;

    /// <summary>Builds the MLP for <paramref name="config"/>.</summary>
    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = nn.Linear(config.Embed, 4 * config.Embed, hasBias: config.Bias);
        // GPT-2 used the tanh approximation 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))); it differs from the exact GELU by < 1e-3.
        gelu = config.TanhGelu ? nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh) : nn.GELU();
        c_proj = nn.Linear(4 * config.Embed, config.Embed, hasBias: config.Bias);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor x) => dropout.forward(c_proj.forward(gelu.forward(c_fc.forward(x))));
}
