using static TorchSharp.torch;

namespace SslCourse.Checks;

/// <summary>
/// Checks an NT-Xent implementation (SimCLR, Chen et al. 2020, eq. 1) against references that share none of its code:
/// a per-anchor loop in double precision over plain arrays, and two analytic values (aligned orthogonal pairs, and a
/// fully collapsed batch whose softmax is uniform over the 2B − 1 candidates).
/// </summary>
public static class NtXentCheck
{
    /// <summary>
    /// The loss by a per-anchor loop: for each of the 2B views k, ℓ_k = log Σ_{m≠k} exp(s_km/τ) − s_{k,k⁺}/τ with
    /// s the cosine similarity, averaged over k. Double precision, no tensor operations after the copy to arrays.
    /// </summary>
    public static double PerAnchor(Tensor z1, Tensor z2, double tau)
    {
        var a = Rows(z1);
        var b = Rows(z2);
        int n = a.Length;
        var v = a.Concat(b).Select(Unit).ToArray();           // views 0..n−1 are the first views, n..2n−1 the second
        double total = 0;
        for (int k = 0; k < 2 * n; k++)
        {
            int positive = k < n ? k + n : k - n;
            var logits = new List<double>();
            for (int m = 0; m < 2 * n; m++)
            {
                if (m == k) continue;                           // a view is never its own candidate
                logits.Add(Dot(v[k], v[m]) / tau);
            }
            double max = logits.Max();
            double logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            total += logSum - Dot(v[k], v[positive]) / tau;
        }
        return total / (2 * n);
    }

    /// <summary>The loss of B identical pairs of orthonormal vectors: −log(e^{1/τ} / (e^{1/τ} + 2B − 2)).</summary>
    public static double Aligned(int b, double tau) => -Math.Log(Math.Exp(1 / tau) / (Math.Exp(1 / tau) + 2 * b - 2));

    /// <summary>Runs the check on <paramref name="loss"/> (z1, z2, τ) → mean NT-Xent over the 2B anchors.</summary>
    public static CheckReport Run(Func<Tensor, Tensor, double, Tensor> loss, int seed = 0)
    {
        var report = new CheckReport("NT-Xent against a per-anchor loop and two analytic values");
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        foreach (var (n, tau) in new[] { (4, 0.1), (16, 0.5), (64, 0.2) })
        {
            // Rows of different lengths, so a missing normalisation shows.
            var a = randn(n, 32, generator: g) * (rand(n, 1, generator: g) * 3 + 0.5);
            var b2 = randn(n, 32, generator: g) * (rand(n, 1, generator: g) * 3 + 0.5);
            report.Try($"random B={n} τ={tau}", () =>
            {
                double ours = loss(a, b2, tau).item<float>(), reference = PerAnchor(a, b2, tau);
                return (Close(ours, reference, 1e-4), $"random B={n,2}, τ={tau}: {ours:F6} vs per-anchor loop {reference:F6}");
            });
        }
        report.Try("aligned", () =>
        {
            var aligned = eye(8, 16) * 3;                           // B = 8 orthogonal vectors, each view the same
            double ours = loss(aligned, aligned, 0.5).item<float>(), expected = Aligned(8, 0.5);
            return (Close(ours, expected, 1e-4), $"aligned pairs, B=8, τ=0.5: {ours:F4} vs −log(e²/(e² + 14)) = {expected:F4}");
        });
        report.Try("collapsed", () =>
        {
            var same = ones(8, 16);                                 // every view the same vector: all similarities 1
            double ours = loss(same, same, 0.2).item<float>(), expected = Math.Log(15);
            return (Close(ours, expected, 1e-4), $"collapsed batch, B=8, τ=0.2: {ours:F4} vs log(2B − 1) = {expected:F4}");
        });
        return report;
    }

    private static bool Close(double actual, double expected, double tol) =>
        !double.IsNaN(actual) && Math.Abs(actual - expected) <= tol * Math.Max(1, Math.Abs(expected));

    private static double[][] Rows(Tensor t)
    {
        var x = t.detach().to(ScalarType.Float64).cpu();
        var flat = x.data<double>().ToArray();
        int d = (int)x.shape[1];
        return Enumerable.Range(0, (int)x.shape[0]).Select(i => flat.Skip(i * d).Take(d).ToArray()).ToArray();
    }

    private static double[] Unit(double[] v)
    {
        double norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => x / Math.Max(norm, 1e-12)).ToArray();
    }

    internal static double Dot(double[] u, double[] v)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++) s += u[i] * v[i];
        return s;
    }
}
