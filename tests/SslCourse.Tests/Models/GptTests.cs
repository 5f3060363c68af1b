using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public sealed class GptTests
{
    private static readonly GptConfig Small = new(VocabSize: 17, BlockSize: 16, Layers: 2, Heads: 2, Embed: 16);

    [Fact]
    public void ExplicitAttentionEqualsFusedKernel()
    {
        manual_seed(1);
        using var model = new Gpt(Small);
        model.eval();
        using var idx = randint(0, 17, [3, 12]);
        using var fused = model.forward(idx);
        model.UseExplicitAttention(true);
        using var expl = model.forward(idx);
        model.UseExplicitAttention(false);
        Assert.True(fused.allclose(expl, rtol: 1e-4, atol: 1e-5));
        Assert.Equal(new long[] { 3, 12, 17 }, fused.shape);
    }

    [Fact]
    public void ExplicitPathMatchesScaledDotProductAttentionWithMask()
    {
        manual_seed(2);
        using var attn = new CausalSelfAttention(Small);
        using var q = randn(2, 2, 5, 8); using var k = randn(2, 2, 5, 8); using var v = randn(2, 2, 5, 8);
        using var mine = attn.Explicit(q, k, v, 0, out var weights);
        using var torchs = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        Assert.True(mine.allclose(torchs, rtol: 1e-4, atol: 1e-5));
        // Rows sum to one and nothing above the diagonal.
        Assert.True(weights.sum(-1).allclose(ones(2, 2, 5), atol: 1e-5));
        Assert.Equal(0.0, weights.triu(1).abs().sum().item<float>(), 6);
    }

    [Fact]
    public void ChangingAFutureTokenNeverChangesEarlierLogits()
    {
        manual_seed(3);
        using var model = new Gpt(Small);
        model.eval();
        using var a = randint(0, 17, [1, 10]);
        using var b = a.clone();
        b[0, 7] = (a[0, 7] + 1) % 17;
        using var la = model.forward(a);
        using var lb = model.forward(b);
        Assert.True(la[.., ..7].allclose(lb[.., ..7], atol: 1e-6));
        Assert.False(la[.., 7..].allclose(lb[.., 7..], atol: 1e-6));
    }

    [Fact]
    public void OverfitsASingleBatch()
    {
        manual_seed(4);
        using var model = new Gpt(Small);
        using var x = randint(0, 17, [4, 16]);
        using var y = randint(0, 17, [4, 16]);
        var h = SslCourse.Training.Trainer.Fit(model.parameters(), _ => model.Loss(x, y),
            new SslCourse.Training.TrainerOptions(300, 5e-3, MinLearningRateRatio: 1, LogEvery: 1, Name: "overfit"));
        Assert.True(h.Loss[0] > 2.0, $"first loss {h.Loss[0]}");
        Assert.True(h.LastLoss < 0.3, $"final loss {h.LastLoss}");
    }

    [Fact]
    public void KvCacheGivesTheSameLogitsAsTheFullPrefix()
    {
        manual_seed(5);
        using var model = new Gpt(Small);
        model.eval();
        using var idx = randint(0, 17, [2, 9]);
        using var full = model.forward(idx);
        using var cache = new KvCache(Small.Layers);
        using var prefill = model.ForwardCached(idx[.., ..6], cache);
        using var chunk = model.ForwardCached(idx[.., 6..], cache); // several new tokens at once: needs the offset mask
        Assert.True(full[.., 6..].allclose(chunk, atol: 1e-5));
        Assert.Equal(9, cache.Length);
    }

    [Fact]
    public void AttentionMapsAreCausalDistributions()
    {
        manual_seed(6);
        using var model = new Gpt(Small);
        using var idx = randint(0, 17, [1, 8]);
        var maps = model.AttentionMaps(idx);
        Assert.Equal(2, maps.Count);
        Assert.Equal(new long[] { 1, 2, 8, 8 }, maps[0].shape);
        Assert.Equal(0.0, maps[1].triu(1).abs().sum().item<float>(), 6);
    }

    [Fact]
    public void PresetsHaveTheNamedSizes()
    {
        Assert.Equal((6, 6, 384, 256), (GptConfig.ShakespeareChar.Layers, GptConfig.ShakespeareChar.Heads, GptConfig.ShakespeareChar.Embed, GptConfig.ShakespeareChar.BlockSize));
        using var tiny = new Gpt(GptConfig.Tiny);
        Assert.True(tiny.ParameterCount > 50_000);
    }
}
