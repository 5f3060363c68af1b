using SslCourse.Adapt;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Adapt;

public sealed class LinearProbeTests
{
    /// <summary>Three classes separated by a margin along random directions.</summary>
    internal static (Tensor X, Tensor Y) Separable(int perClass, int dim, int seed)
    {
        var gen = new Generator((ulong)seed);
        var centers = randn([3, dim], generator: gen) * 6f;
        var y = arange(3).repeat_interleave(perClass);
        var x = centers[y] + randn([3 * perClass, dim], generator: gen) * 0.5f;
        return (x, y);
    }

    [Fact]
    public void Reaches_full_accuracy_on_linearly_separable_data()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Separable(50, 16, seed: 3);
        var (xt, yt) = Separable(50, 16, seed: 3);
        using var probe = LinearProbe.Fit(x, y, classes: 3);
        Assert.Equal(1.0, probe.Accuracy(x, y));
        Assert.Equal(1.0, probe.Accuracy(xt, yt));
    }

    [Fact]
    public void Is_deterministic_and_frees_its_temporaries()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Separable(20, 8, seed: 4);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var a = LinearProbe.Fit(x, y, 3, new LinearProbeOptions(Steps: 50)))
        using (var b = LinearProbe.Fit(x, y, 3, new LinearProbeOptions(Steps: 50)))
        {
            Assert.True(a.Logits(x).allclose(b.Logits(x)));
        }
        GC.Collect();
        Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before <= 2, "probe fitting left tensors alive");
    }

    [Fact]
    public void Mismatched_rows_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => LinearProbe.Fit(zeros(5, 3), zeros(4, ScalarType.Int64), 2));
        Assert.Contains("5 feature rows but 4 labels", e.Message);
    }

    [Fact]
    public void Knn_classifies_separated_clusters_and_needs_no_training()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Separable(40, 8, seed: 5);
        var (xt, yt) = Separable(40, 8, seed: 6);
        // Same centres (same seed for the centres is not guaranteed across calls), so test on held-out noise around x's centres.
        var acc = Knn.Accuracy(x, y, x + randn_like(x) * 0.1f, y, k: 5);
        Assert.Equal(1.0, acc);
        Assert.Equal(yt.shape[0], Knn.Predict(x, y, xt).shape[0]);
    }
}
