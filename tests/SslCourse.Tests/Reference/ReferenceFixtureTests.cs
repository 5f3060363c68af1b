using SslCourse.Checkpoints;
using SslCourse.Losses;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.Reference;

/// <summary>
/// The course's code against an independent implementation: fixtures written by plain PyTorch
/// (tests/reference/make_fixtures.py, committed), compared within 1e-5.
/// </summary>
public sealed class ReferenceFixtureTests
{
    private const double Tol = 1e-5;

    internal static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SslCourse.sln"))) return Path.Combine(dir.FullName, "tests", "reference", name);
        throw new InvalidOperationException("repository root not found");
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(expected.allclose(actual, rtol: Tol, atol: Tol), $"{what}: largest difference {diff:E2} exceeds {Tol:E0}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gpt_forward_in_nanoGPT_layout_matches_PyTorch(bool explicitAttention)
    {
        using var scope = NewDisposeScope();
        var f = SafeTensors.Read(Fixture("gpt_nanogpt.safetensors"));
        // 3 heads of width 16, exact GELU, biases: the sizes make_fixtures.py uses.
        using var model = new Gpt(new GptConfig(VocabSize: 13, BlockSize: 10, Layers: 2, Heads: 3, Embed: 48, Bias: true, TanhGelu: false));
        using (no_grad())
            foreach (var (name, p) in model.named_parameters()) p.copy_(f["weights." + name]);
        model.eval();
        model.UseExplicitAttention(explicitAttention);
        var idx = f["input.idx"].to(ScalarType.Int64);
        using (no_grad())
        {
            Close(f["expected.logits"], model.forward(idx), "logits");
            Close(f["expected.loss"].reshape([]), model.Loss(idx, f["input.targets"].to(ScalarType.Int64)), "LM loss");
        }
    }

    [Fact]
    public void Gpt2_in_Hugging_Face_layout_with_16_wide_heads_loads_from_config_json_and_matches_PyTorch()
    {
        using var scope = NewDisposeScope();
        using var model = Gpt2Checkpoint.Load(Fixture("gpt2_hf"));
        Assert.Equal(new GptConfig(VocabSize: 17, BlockSize: 12, Layers: 2, Heads: 4, Embed: 64, Bias: true, TanhGelu: true), model.Config);
        model.eval();
        var f = SafeTensors.Read(Fixture("gpt2_hf_expected.safetensors"));
        using (no_grad()) Close(f["expected.logits"], model.forward(f["input.idx"].to(ScalarType.Int64)), "GPT-2 logits");
    }

    [Fact]
    public void Losses_match_PyTorch()
    {
        using var scope = NewDisposeScope();
        var f = SafeTensors.Read(Fixture("losses.safetensors"));
        Close(f["ntxent.loss"].reshape([]), NtXent.Loss(f["ntxent.z1"], f["ntxent.z2"], 0.3), "NT-Xent");
        Close(f["cs229.loss"].reshape([]), Cs229Contrastive.Loss(f["cs229.phi_hat"], f["cs229.phi_tilde"]), "CS229 contrastive loss");
        Close(f["mae.loss"].reshape([]), MaskedReconstruction.Loss(f["mae.prediction"], f["mae.target"], f["mae.mask"]), "MAE masked loss");
        Close(f["lm.loss"].reshape([]), LmLoss.Loss(f["lm.logits"], f["lm.targets"].to(ScalarType.Int64)), "LM cross-entropy");
    }

    [Fact]
    public void One_AdamW_step_with_the_decay_split_matches_PyTorch()
    {
        using var scope = NewDisposeScope();
        var f = SafeTensors.Read(Fixture("adamw_step.safetensors"));
        var names = new[] { "w", "b", "gain" };
        var ps = names.Select(n => new TorchSharp.Modules.Parameter(f["param." + n].clone())).ToList();
        for (int i = 0; i < ps.Count; i++) ps[i].grad = f["grad." + names[i]].clone();
        var options = new SslCourse.Training.TrainerOptions(Steps: 1, LearningRate: 1e-2, WeightDecay: 0.1, Beta2: 0.99, DecayOnlyMatrices: true);
        var groups = SslCourse.Training.Trainer.ParameterGroups(ps, options);
        Assert.Equal(2, groups.Count);
        Assert.Equal([0.1, 0.0], groups.Select(g => g.Options.weight_decay!.Value));
        using var opt = optim.AdamW(groups, options.LearningRate, beta2: options.Beta2, weight_decay: options.WeightDecay);
        opt.step();
        for (int i = 0; i < ps.Count; i++) Close(f["after." + names[i]], ps[i], $"AdamW step, {names[i]}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void NtXent_refuses_a_temperature_that_is_not_positive(double tau)
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NtXent.Loss(randn(4, 3), randn(4, 3), tau));
        Assert.Contains("τ > 0", e.Message);
    }
}
