using SslCourse.Models;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public sealed class WeightDecayGroupsTests
{
    private static readonly GptConfig Small = new(VocabSize: 11, BlockSize: 8, Layers: 2, Heads: 2, Embed: 8, Bias: true);

    [Fact]
    public void Matrices_and_embeddings_decay_biases_and_layernorm_gains_do_not()
    {
        manual_seed(1);
        using var model = new Gpt(Small);
        var named = model.named_parameters().ToList();
        var groups = Trainer.ParameterGroups(named.Select(p => p.parameter).ToList(), new TrainerOptions(10, WeightDecay: 0.1, DecayOnlyMatrices: true));
        Assert.Equal(2, groups.Count);
        string NameOf(TorchSharp.Modules.Parameter p) => named.Single(n => ReferenceEquals(n.parameter, p)).name;
        var decayed = groups[0].Parameters.Select(NameOf).ToHashSet();
        var kept = groups[1].Parameters.Select(NameOf).ToHashSet();
        Assert.Contains("wte.weight", decayed);
        Assert.Contains("wpe.weight", decayed);
        Assert.Contains("h.0.attn.c_attn.weight", decayed);
        Assert.Contains("h.1.mlp.c_proj.weight", decayed);
        Assert.Contains("h.0.ln_1.weight", kept);
        Assert.Contains("h.0.attn.c_attn.bias", kept);
        Assert.Contains("ln_f.weight", kept);
        Assert.All(decayed, n => Assert.True(named.Single(p => p.name == n).parameter.dim() >= 2, n));
        Assert.All(kept, n => Assert.True(named.Single(p => p.name == n).parameter.dim() < 2, n));
        Assert.Equal(named.Count, decayed.Count + kept.Count);
        // 2 layers × (4 matrices) + wte + wpe decay; 2 × (2 LN gains + 2 LN biases + 4 linear biases) + ln_f (gain, bias) do not.
        Assert.Equal(10, decayed.Count);
        Assert.Equal(18, kept.Count);
    }

    [Fact]
    public void With_zero_gradients_only_the_decayed_group_shrinks()
    {
        manual_seed(2);
        using var model = new Gpt(Small);
        using var wteBefore = model.named_parameters().Single(p => p.name == "wte.weight").parameter.detach().clone();
        var opts = new TrainerOptions(Steps: 5, LearningRate: 0.1, WeightDecay: 0.5, MinLearningRateRatio: 1, GradClip: null, LogEvery: 1,
            Name: "decay-test", DecayOnlyMatrices: true);
        Trainer.Fit(model.parameters(), _ => model.parameters().Select(p => p.sum() * 0).Aggregate((a, b) => a + b), opts);
        var p = model.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        // AdamW with a zero gradient only decays: w ← w (1 − lr·λ) per step.
        var expected = wteBefore * Math.Pow(1 - 0.1 * 0.5, 5);
        Assert.True(p["wte.weight"].allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.True(p["ln_f.weight"].allclose(ones(8)), "LayerNorm gains must not decay");
    }

    [Fact]
    public void Without_the_split_every_parameter_decays()
    {
        manual_seed(3);
        using var model = new Gpt(Small);
        var opts = new TrainerOptions(Steps: 3, LearningRate: 0.1, WeightDecay: 0.5, MinLearningRateRatio: 1, GradClip: null, LogEvery: 1, Name: "decay-all",
            DecayOnlyMatrices: false);
        Assert.Single(Trainer.ParameterGroups(model.parameters().ToList(), opts));
        Trainer.Fit(model.parameters(), _ => model.parameters().Select(p => p.sum() * 0).Aggregate((a, b) => a + b), opts);
        var gain = model.named_parameters().Single(n => n.name == "ln_f.weight").parameter;
        Assert.True(gain.allclose(full(8, Math.Pow(0.95, 3))), "with one group the LayerNorm gain decays too");
    }

    [Fact]
    public void By_default_a_conv_encoder_decays_its_kernels_and_not_its_batchnorm()
    {
        manual_seed(4);
        using var encoder = new SslCourse.Vision.ConvEncoder(new SslCourse.Vision.ConvEncoderConfig(Width: 4, Stages: 2));
        var named = encoder.named_parameters().ToList();
        var groups = Trainer.ParameterGroups(named.Select(p => p.parameter).ToList(), SslConfig.Ci.Trainer("test"));
        Assert.Equal(2, groups.Count);
        Assert.Equal(1e-4, groups[0].Options.weight_decay!.Value, 12);
        Assert.Equal(0.0, groups[1].Options.weight_decay!.Value, 12);
        string NameOf(TorchSharp.Modules.Parameter p) => named.Single(n => ReferenceEquals(n.parameter, p)).name;
        var decayed = groups[0].Parameters.Select(NameOf).ToList();
        var kept = groups[1].Parameters.Select(NameOf).ToList();
        Assert.Contains("stem.0.weight", decayed);                       // a 4-d convolution kernel
        Assert.Contains("stem.1.weight", kept);                          // BatchNorm's gain
        Assert.Contains("stem.1.bias", kept);
        Assert.All(decayed, n => Assert.True(named.Single(p => p.name == n).parameter.dim() >= 2, n));
        Assert.All(kept, n => Assert.True(named.Single(p => p.name == n).parameter.dim() < 2, n));
        Assert.Single(Trainer.ParameterGroups(named.Select(p => p.parameter).ToList(), (SslConfig.Ci with { DecayOnlyMatrices = false }).Trainer("test")));
    }
}
