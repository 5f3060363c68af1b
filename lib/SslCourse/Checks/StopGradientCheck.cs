using static TorchSharp.torch;

namespace SslCourse.Checks;

/// <summary>
/// Checks SimSiam's D(p, z) = −cos(p, z), batch mean, with and without the stop-gradient on z (Chen &amp; He 2021,
/// eq. 1–2), by autograd against the closed-form gradient of the cosine: with the stop-gradient the target z must
/// receive no gradient at all and p the analytic one; without it both must receive theirs.
/// </summary>
public static class StopGradientCheck
{
    /// <summary>
    /// ∂D/∂p for one row, in closed form: −(1/B)(z/(‖p‖‖z‖) − (pᵀz) p/(‖p‖³‖z‖)). Rows of a (B, d) pair; double arrays.
    /// </summary>
    public static double[][] CosineGradient(double[][] p, double[][] z)
    {
        int b = p.Length;
        return p.Select((pi, i) =>
        {
            var zi = z[i];
            double np = Math.Sqrt(NtXentCheck.Dot(pi, pi)), nz = Math.Sqrt(NtXentCheck.Dot(zi, zi)), pz = NtXentCheck.Dot(pi, zi);
            return pi.Select((pk, k) => -(zi[k] / (np * nz) - pz * pk / (np * np * np * nz)) / b).ToArray();
        }).ToArray();
    }

    /// <summary>Runs the check on <paramref name="d"/> (p, z, stopGradient) → scalar D.</summary>
    public static CheckReport Run(Func<Tensor, Tensor, bool, Tensor> d, int seed = 0)
    {
        var report = new CheckReport("stop-gradient: autograd against the closed-form gradient of −cos");
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        var p0 = randn(8, 16, dtype: ScalarType.Float64, generator: g);
        var z0 = randn(8, 16, dtype: ScalarType.Float64, generator: g);
        var (pRows, zRows) = (Rows(p0), Rows(z0));
        double value = -pRows.Select((pi, i) => NtXentCheck.Dot(pi, zRows[i]) / Math.Sqrt(NtXentCheck.Dot(pi, pi) * NtXentCheck.Dot(zRows[i], zRows[i]))).Average();
        var gradP = CosineGradient(pRows, zRows);
        var gradZ = CosineGradient(zRows, pRows);                       // −cos is symmetric, so ∂D/∂z has the same form
        foreach (var sg in new[] { true, false })
        {
            report.Try($"stop-gradient {(sg ? "on" : "off")}", () =>
            {
                var p = p0.clone().requires_grad_();
                var z = z0.clone().requires_grad_();
                var loss = d(p, z, sg);
                double v = loss.to(ScalarType.Float64).item<double>();
                loss.backward();
                double errP = MaxError(p.grad, gradP);
                double normZ = p.grad is null ? double.NaN : z.grad is null ? 0 : z.grad.norm().item<double>();
                double errZ = MaxError(z.grad, gradZ);
                bool valueOk = Math.Abs(v - value) <= 1e-5;
                bool ok = valueOk && errP <= 1e-5 && (sg ? normZ == 0 : errZ <= 1e-5);
                var zText = sg ? $"‖∂D/∂z‖ = {normZ:G3} (must be 0: no gradient into the target)" : $"∂D/∂z max error {errZ:E1} (must flow)";
                return (ok, $"sg {(sg ? "on " : "off")}: D = {v:F6} vs −mean cos {value:F6}; ∂D/∂p max error {errP:E1}; {zText}");
            });
        }
        return report;
    }

    // Largest |autograd − closed form|; +∞ when no gradient arrived.
    private static double MaxError(Tensor? grad, double[][] expected)
    {
        if (grad is null) return double.PositiveInfinity;
        var got = Rows(grad);
        return got.SelectMany((row, i) => row.Select((x, k) => Math.Abs(x - expected[i][k]))).Max();
    }

    private static double[][] Rows(Tensor t)
    {
        var x = t.detach().to(ScalarType.Float64).cpu();
        var flat = x.data<double>().ToArray();
        int cols = (int)x.shape[1];
        return Enumerable.Range(0, (int)x.shape[0]).Select(i => flat.Skip(i * cols).Take(cols).ToArray()).ToArray();
    }
}
