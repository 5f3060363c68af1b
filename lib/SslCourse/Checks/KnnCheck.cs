using static TorchSharp.torch;

namespace SslCourse.Checks;

/// <summary>
/// Checks a cosine kNN classifier with an exp(s/T)-weighted vote (Wu et al. 2018; Caron et al. 2021) against a
/// brute-force loop on a few points: for each query, every labelled point's cosine in double precision, a full sort,
/// the first k, the votes added class by class.
/// </summary>
public static class KnnCheck
{
    /// <summary>The brute-force prediction for each query row.</summary>
    public static long[] BruteForce(double[][] labelled, long[] labels, double[][] queries, int k, double temperature)
    {
        long classes = labels.Max() + 1;
        return queries.Select(q =>
        {
            var neighbours = labelled.Select((x, i) => (Cos: Cosine(q, x), Label: labels[i]))
                                     .OrderByDescending(t => t.Cos).Take(Math.Min(k, labelled.Length));
            var votes = new double[classes];
            foreach (var (cos, label) in neighbours) votes[label] += Math.Exp(cos / temperature);
            return (long)Array.IndexOf(votes, votes.Max());
        }).ToArray();
    }

    /// <summary>Runs the check on <paramref name="knn"/> (labelled features, labels, queries, k, T) → predicted classes.</summary>
    public static CheckReport Run(Func<Tensor, Tensor, Tensor, int, double, Tensor> knn, int seed = 0)
    {
        var report = new CheckReport("kNN against a brute-force loop on a few points");
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        // 30 labelled points and 40 queries in 4 dimensions, 3 classes, rows of very different lengths (so cosine ≠ dot product).
        var lab = randn(30, 4, generator: g) * (rand(30, 1, generator: g) * 4 + 0.2);
        var y = randint(0, 3, [30], generator: g);
        var qs = randn(40, 4, generator: g) * (rand(40, 1, generator: g) * 4 + 0.2);
        var (labRows, qRows, yArr) = (Rows(lab), Rows(qs), y.data<long>().ToArray());
        foreach (var (k, t) in new[] { (1, 0.07), (5, 0.07), (7, 1.0), (30, 0.5) })
        {
            report.Try($"k={k} T={t}", () =>
            {
                var ours = knn(lab, y, qs, k, t).to(ScalarType.Int64).cpu().data<long>().ToArray();
                var reference = BruteForce(labRows, yArr, qRows, k, t);
                int same = ours.Length == reference.Length ? ours.Zip(reference).Count(p => p.First == p.Second) : 0;
                return (same == reference.Length, $"k = {k,2}, T = {t}: {same} of {reference.Length} predictions equal the brute-force loop's");
            });
        }
        return report;
    }

    private static double Cosine(double[] u, double[] v) =>
        NtXentCheck.Dot(u, v) / Math.Sqrt(NtXentCheck.Dot(u, u) * NtXentCheck.Dot(v, v));

    private static double[][] Rows(Tensor t)
    {
        var x = t.detach().to(ScalarType.Float64).cpu();
        var flat = x.data<double>().ToArray();
        int cols = (int)x.shape[1];
        return Enumerable.Range(0, (int)x.shape[0]).Select(i => flat.Skip(i * cols).Take(cols).ToArray()).ToArray();
    }
}
