using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public sealed class GeluTests
{
    private static Tensor Activation(GptConfig config, Tensor x)
    {
        using var mlp = new Mlp(config);
        var gelu = (nn.Module<Tensor, Tensor>)mlp.named_children().Single(c => c.name == "gelu").module;
        return gelu.forward(x);
    }

    [Fact]
    public void Gpt2SmallUsesTheTanhApproximation()
    {
        Assert.True(GptConfig.Gpt2Small.TanhGelu);
        var x = linspace(-6, 6, 241, dtype: ScalarType.Float64);
        var formula = 0.5 * x * (1 + tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x.pow(3))));
        var tiny = GptConfig.Tiny with { Embed = 8, Heads = 2 };
        var approx = Activation(tiny with { TanhGelu = true }, x);
        Assert.True(approx.allclose(formula, rtol: 0, atol: 1e-12));
        var exact = Activation(tiny, x);
        var gap = (exact - formula).abs().max().item<double>();
        Assert.InRange(gap, 1e-6, 1e-3); // the exact erf form differs, but by < 1e-3
    }
}
