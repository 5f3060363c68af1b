using SslCourse.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

public sealed class LossTests
{
    // NT-Xent written straight from the SimCLR paper's pseudocode (Algorithm 1): explicit loops over anchors.
    private static double NaiveNtXent(float[,] a, float[,] b, double tau)
    {
        int n = a.GetLength(0), d = a.GetLength(1);
        var z = new double[2 * n][];
        for (int i = 0; i < 2 * n; i++)
        {
            var src = i < n ? a : b; int r = i % n;
            var v = Enumerable.Range(0, d).Select(j => (double)src[r, j]).ToArray();
            var norm = Math.Sqrt(v.Sum(x => x * x));
            z[i] = v.Select(x => x / norm).ToArray();
        }
        double Sim(int i, int j) => z[i].Zip(z[j], (x, y) => x * y).Sum();
        double L(int i, int j)
        {
            double den = 0;
            for (int k = 0; k < 2 * n; k++) if (k != i) den += Math.Exp(Sim(i, k) / tau);
            return -Math.Log(Math.Exp(Sim(i, j) / tau) / den);
        }
        double total = 0;
        for (int k = 0; k < n; k++) total += L(k, k + n) + L(k + n, k);
        return total / (2 * n);
    }

    private static float[,] ToArray(Tensor t)
    {
        var (r, c) = ((int)t.shape[0], (int)t.shape[1]);
        var data = t.data<float>().ToArray();
        var a = new float[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) a[i, j] = data[i * c + j];
        return a;
    }

    [Fact]
    public void NtXent_matches_a_naive_loop_from_the_paper()
    {
        manual_seed(3);
        using var z1 = randn(6, 5);
        using var z2 = randn(6, 5);
        foreach (var tau in new[] { 0.1, 0.5, 1.0 })
        {
            using var loss = NtXent.Loss(z1, z2, tau);
            Assert.Equal(NaiveNtXent(ToArray(z1), ToArray(z2), tau), loss.item<float>(), 4);
        }
    }

    [Fact]
    public void NtXent_of_identical_orthogonal_pairs_has_its_analytic_value()
    {
        // N pairs of identical unit vectors e_i: for each anchor the positive has similarity 1 and the other
        // 2N - 2 candidates similarity 0, so loss = -log(e^{1/τ} / (e^{1/τ} + 2N - 2)).
        const int n = 4; const double tau = 0.5;
        using var e = eye(n, 8);
        using var loss = NtXent.Loss(e, e, tau);
        var expected = -Math.Log(Math.Exp(1 / tau) / (Math.Exp(1 / tau) + 2 * n - 2));
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void NtXent_is_symmetric_in_the_views_and_falls_as_temperature_falls_for_aligned_embeddings()
    {
        manual_seed(4);
        using var a = randn(8, 6);
        using var b = randn(8, 6);
        using var ab = NtXent.Loss(a, b, 0.3);
        using var ba = NtXent.Loss(b, a, 0.3);
        Assert.Equal(ab.item<float>(), ba.item<float>(), 5);
        using var e = eye(5, 5);
        var losses = new[] { 1.0, 0.5, 0.2, 0.1 }.Select(t => { using var l = NtXent.Loss(e, e, t); return l.item<float>(); }).ToArray();
        for (int i = 1; i < losses.Length; i++) Assert.True(losses[i] < losses[i - 1], string.Join(", ", losses));
    }

    [Fact]
    public void Cs229_contrastive_matches_the_notes_sum()
    {
        manual_seed(5);
        using var h = randn(5, 3);
        using var t = randn(5, 3);
        var (a, b) = (ToArray(h), ToArray(t));
        double Dot(int i, int j) => Enumerable.Range(0, 3).Sum(k => (double)a[i, k] * b[j, k]);
        double expected = 0;
        for (int i = 0; i < 5; i++)
            expected += -Math.Log(Math.Exp(Dot(i, i)) / Enumerable.Range(0, 5).Sum(j => Math.Exp(Dot(i, j))));
        using var loss = Cs229Contrastive.Loss(h, t);
        using var mean = Cs229Contrastive.Loss(h, t, mean: true);
        Assert.Equal(expected, loss.item<float>(), 4);
        Assert.Equal(expected / 5, mean.item<float>(), 4);
    }

    [Fact]
    public void Negative_cosine_matches_a_loop_and_stops_the_target_gradient()
    {
        manual_seed(6);
        using var p = randn(4, 3, requires_grad: true);
        using var z = randn(4, 3, requires_grad: true);
        var (pa, za) = (ToArray(p.detach()), ToArray(z.detach()));
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            double dot = 0, np = 0, nz = 0;
            for (int k = 0; k < 3; k++) { dot += pa[i, k] * za[i, k]; np += pa[i, k] * pa[i, k]; nz += za[i, k] * za[i, k]; }
            expected -= dot / Math.Sqrt(np * nz) / 4;
        }
        using var loss = NegativeCosine.Loss(p, z);
        Assert.Equal(expected, loss.item<float>(), 5);
        loss.backward();
        Assert.NotNull(p.grad);
        Assert.True(z.grad is null || z.grad.abs().sum().item<float>() == 0);
    }

    [Fact]
    public void Masked_reconstruction_counts_masked_patches_only_and_naive_pull_is_zero_for_equal_views()
    {
        using var pred = zeros(1, 2, 3);
        using var target = tensor(new float[] { 1, 1, 1, 5, 5, 5 }).reshape(1, 2, 3);
        using var mask = tensor(new float[] { 1, 0 }).reshape(1, 2);
        using var loss = MaskedReconstruction.Loss(pred, target, mask);
        Assert.Equal(1.0, loss.item<float>(), 6);   // only patch 0 (error 1 per pixel) counts
        manual_seed(7);
        using var z = randn(4, 3);
        using var pull = NaivePull.Loss(z, z * 3);
        Assert.Equal(0.0, pull.item<float>(), 6);
    }
}
