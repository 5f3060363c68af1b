using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// The naive "pull the two views together" objective: mean ‖z̄₁ − z̄₂‖² of L2-normalised projections, with no
/// negatives, no predictor and no stop-gradient. A constant encoder makes it exactly 0, so gradient descent finds
/// that collapsed solution; SimSiam's ablation (Chen &amp; He, 2021, §4.1) shows the same for removing stop-gradient.
/// </summary>
public static class NaivePull
{
    /// <summary>The loss, in [0, 4].</summary>
    /// <param name="z1">(N, D) projections of view 1.</param>
    /// <param name="z2">(N, D) projections of view 2.</param>
    public static Tensor Loss(Tensor z1, Tensor z2)
    {
        using var scope = NewDisposeScope();
        return (F.normalize(z1, dim: 1) - F.normalize(z2, dim: 1)).pow(2).sum(1).mean().MoveToOuterDisposeScope();
    }
}
