using static TorchSharp.torch;

namespace SslCourse.Checks;

/// <summary>
/// Checks a linear probe against the optimum of its convex objective (multinomial logistic regression with an L2
/// penalty on the weights, CS229 notes eq. 14.1): the standardisation must be the labelled set's mean and standard
/// deviation, and at the returned (W, b) the gradient of J(W, b) = CE(x̃W + b, y) + λ‖W‖², computed in double
/// precision by autograd, must be close to zero, relative to its size at the start (W = 0, b = 0).
/// </summary>
public static class ProbeOptimumCheck
{
    /// <summary>The fitted probe as the notebook returns it: weights (D, K), bias (K), and the feature mean and std (D).</summary>
    public delegate (Tensor W, Tensor B, Tensor Mean, Tensor Std) Fit(Tensor features, Tensor labels, int classes, double lambda);

    /// <summary>‖∇J(W, b)‖ for standardised features <paramref name="x"/> (double precision).</summary>
    public static double GradientNorm(Tensor x, Tensor y, Tensor w, Tensor b, double lambda)
    {
        using var scope = NewDisposeScope();
        var wl = w.detach().to(ScalarType.Float64).clone().requires_grad_();
        var bl = b.detach().to(ScalarType.Float64).clone().requires_grad_();
        var j = nn.functional.cross_entropy(x.matmul(wl) + bl, y) + lambda * wl.pow(2).sum();
        j.backward();
        return Math.Sqrt(wl.grad!.pow(2).sum().item<double>() + bl.grad!.pow(2).sum().item<double>());
    }

    /// <summary>Runs the check: fits <paramref name="fit"/> on (features, labels) with <paramref name="lambda"/>.</summary>
    /// <param name="fit">The probe under test.</param>
    /// <param name="features">(N, D) labelled features.</param>
    /// <param name="labels">(N) int64 labels.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="lambda">The L2 weight of the objective.</param>
    /// <param name="tolerance">Largest accepted ‖∇J(W, b)‖ / ‖∇J(0, 0)‖.</param>
    public static CheckReport Run(Fit fit, Tensor features, Tensor labels, int classes, double lambda, double tolerance = 1e-3)
    {
        var report = new CheckReport($"linear probe at the optimum of its convex objective (λ = {lambda})");
        using var scope = NewDisposeScope();
        var f = features.detach().to(ScalarType.Float64).cpu();
        var y = labels.to(ScalarType.Int64).cpu();
        var mean = f.mean([0]);
        var std = f.std(0, unbiased: false).clamp_min(1e-6);
        var x = (f - mean) / std;
        (Tensor W, Tensor B, Tensor Mean, Tensor Std)? fitted = null;
        report.Try("probe", () =>
        {
            fitted = fit(features, labels, classes, lambda);
            var (_, _, mu, sd) = fitted.Value;
            double errMean = (mu.detach().to(ScalarType.Float64).cpu() - mean).abs().max().item<double>();
            double errStd = ((sd.detach().to(ScalarType.Float64).cpu() - std).abs() / std).max().item<double>();
            return (errMean <= 1e-4 * Math.Max(1, mean.abs().max().item<double>()) && errStd <= 1e-4,
                $"standardisation: max |mean − labelled mean| {errMean:E1}, max relative std error {errStd:E1}");
        });
        if (fitted is not { } r) return report;
        report.Try("gradient", () =>
        {
            var (w, b) = (r.W.detach().cpu(), r.B.detach().cpu());
            double start = GradientNorm(x, y, zeros_like(w), zeros_like(b), lambda);
            double end = GradientNorm(x, y, w, b, lambda);
            double j = ObjectiveAt(x, y, w, b, lambda), j0 = Math.Log(classes);
            return (end <= tolerance * start, $"‖∇J‖ at the probe {end:E2} = {end / start:E1} × ‖∇J‖ at W = 0 ({start:F3}), tolerance {tolerance:E0}; J fell from log K = {j0:F3} to {j:F4}");
        });
        return report;
    }

    private static double ObjectiveAt(Tensor x, Tensor y, Tensor w, Tensor b, double lambda)
    {
        using var _ = no_grad();
        var wd = w.to(ScalarType.Float64);
        return (nn.functional.cross_entropy(x.matmul(wd) + b.to(ScalarType.Float64), y) + lambda * wd.pow(2).sum()).item<double>();
    }
}
