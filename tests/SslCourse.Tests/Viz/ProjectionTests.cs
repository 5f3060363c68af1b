using SslCourse.Adapt;
using SslCourse.Viz;
using static TorchSharp.torch;

namespace SslCourse.Tests.Viz;

public sealed class ProjectionTests
{
    [Fact]
    public void Pca_finds_the_direction_of_largest_variance()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var t = randn(500, 1) * 10f;
        var noise = randn(500, 3) * 0.1f;
        var dir = tensor(new[] { 0.6f, 0.8f, 0f }).unsqueeze(0);
        var x = t.matmul(dir) + noise;
        var p = Pca.Transform(x, 1);
        var corr = corrcoef(stack([p.squeeze(1), t.squeeze(1)])).abs()[0, 1].item<float>();
        Assert.True(corr > 0.999, $"correlation {corr}");
        Assert.Equal(Pca.Project(x), Pca.Project(x));
    }

    [Fact]
    public void Tsne_rows_match_the_perplexity()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var x = randn(200, 10);
        var p = Tsne.ConditionalProbabilities(x, 20);
        var logp = p.clamp_min(1e-30f).log();
        var perplexity = (-(p * logp).sum(1)).exp();
        Assert.True(p.sum(1).sub(1).abs().max().item<float>() < 1e-4f);
        Assert.True(perplexity.sub(20).abs().max().item<float>() < 0.05f, $"perplexities {perplexity.min().item<float>()}..{perplexity.max().item<float>()}");
        Assert.True(Tsne.JointProbabilities(x, 20).sum().sub(1).abs().item<float>() < 1e-3f);
    }

    [Fact]
    public void Tsne_keeps_separated_clusters_apart()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Adapt.LinearProbeTests.Separable(60, 20, seed: 7);
        var emb = Tsne.Embed(x, seed: 0, perplexity: 15, iterations: 300);
        var e = tensor(emb);
        Assert.Equal(180, e.shape[0]);
        Assert.Equal(1.0, Knn.Accuracy(e, y, e, y, k: 5));
        Assert.Equal(emb, Tsne.Embed(x, seed: 0, perplexity: 15, iterations: 300));
    }
}
