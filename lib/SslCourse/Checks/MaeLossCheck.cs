using static TorchSharp.torch;

namespace SslCourse.Checks;

/// <summary>
/// Checks a masked-autoencoder loss (He et al. 2022: per-patch MSE averaged over the hidden patches only) on a
/// hand-built example with a known value, against libtorch's fused <c>mse_loss</c> when every patch is hidden, and on
/// the property that the visible patches' predictions do not enter the loss.
/// </summary>
public static class MaeLossCheck
{
    /// <summary>
    /// One image, four patches of two pixels, prediction 0. Per-patch MSEs: [1,1]→1, [2,0]→2, [3,3]→9, [0,6]→18.
    /// Patches 1 and 3 hidden: (2 + 18)/2 = 10 (all four patches would give 7.5, the visible ones 5).
    /// </summary>
    public const double HandBuiltValue = 10.0;

    /// <summary>Runs the check on <paramref name="loss"/> (prediction, target, mask; all (B, P, ·) / (B, P), mask 1 = hidden).</summary>
    public static CheckReport Run(Func<Tensor, Tensor, Tensor, Tensor> loss, int seed = 0)
    {
        var report = new CheckReport("MAE loss on a hand-built example, against mse_loss, and a visible-patch property");
        using var scope = NewDisposeScope();
        report.Try("hand-built", () =>
        {
            var target = tensor(new float[] { 1, 1, 2, 0, 3, 3, 0, 6 }).reshape(1, 4, 2);
            var prediction = zeros(1, 4, 2);
            var mask = tensor(new float[] { 0, 1, 0, 1 }).reshape(1, 4);
            double v = loss(prediction, target, mask).item<float>();
            return (Math.Abs(v - HandBuiltValue) <= 1e-5, $"hand-built (patch MSEs 1, 2, 9, 18; patches 1 and 3 hidden): {v:F4} vs (2 + 18)/2 = {HandBuiltValue:F4}");
        });
        using var g = new Generator((ulong)seed);
        var pred = rand(3, 16, 49, generator: g);
        var truth = rand(3, 16, 49, generator: g);
        report.Try("all hidden", () =>
        {
            double v = loss(pred, truth, ones(3, 16)).item<float>(), fused = nn.functional.mse_loss(pred, truth).item<float>();
            return (Math.Abs(v - fused) <= 1e-5 * Math.Max(1, fused), $"every patch hidden: {v:F6} vs libtorch's mse_loss {fused:F6}");
        });
        report.Try("visible ignored", () =>
        {
            // 12 of 16 patches hidden in each image (the MAE ratio 0.75), at different positions per image.
            var mask = stack(Enumerable.Range(0, 3).Select(i => (arange(16) + 5 * i).remainder(16).lt(12).to(ScalarType.Float32)).ToArray(), 0);
            var changed = pred + 10 * (1 - mask).unsqueeze(-1);     // visible predictions moved far away
            double a = loss(pred, truth, mask).item<float>(), b = loss(changed, truth, mask).item<float>();
            var hidden = mask.unsqueeze(-1).expand(3, 16, 49).to(ScalarType.Bool);
            double direct = nn.functional.mse_loss(pred.masked_select(hidden), truth.masked_select(hidden)).item<float>();
            bool ok = Math.Abs(a - b) <= 1e-6 && Math.Abs(a - direct) <= 1e-5 * Math.Max(1, direct);
            return (ok, $"12 of 16 patches hidden: {a:F6}; with the visible predictions moved {b:F6}; mse_loss on the hidden pixels {direct:F6}");
        });
        return report;
    }
}
