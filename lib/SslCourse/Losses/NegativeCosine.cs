using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// The non-contrastive losses of BYOL (Grill et al., 2020) and SimSiam (Chen &amp; He, 2021): a predictor's output
/// p is pulled towards the other branch's projection z, and z is a constant (stop-gradient). Without the
/// stop-gradient the trivial constant solution is reachable (see <see cref="NaivePull"/>).
/// </summary>
public static class NegativeCosine
{
    /// <summary>D(p, z) = −cos(p, stopgrad(z)), averaged over the batch (SimSiam, eq. 1). Range [−1, 1].</summary>
    /// <param name="p">(N, D) predictor outputs.</param>
    /// <param name="z">(N, D) projections of the other view; detached here.</param>
    public static Tensor Loss(Tensor p, Tensor z)
    {
        using var scope = NewDisposeScope();
        return F.cosine_similarity(p, z.detach(), dim: 1).mean().neg().MoveToOuterDisposeScope();
    }

    /// <summary>SimSiam's symmetrised loss ½D(p1, z2) + ½D(p2, z1) (Chen &amp; He, 2021, eq. 2).</summary>
    /// <param name="p1">(N, D) predictions from view 1.</param>
    /// <param name="p2">(N, D) predictions from view 2.</param>
    /// <param name="z1">(N, D) projections of view 1.</param>
    /// <param name="z2">(N, D) projections of view 2.</param>
    public static Tensor Symmetric(Tensor p1, Tensor p2, Tensor z1, Tensor z2)
    {
        using var scope = NewDisposeScope();
        return (0.5 * Loss(p1, z2) + 0.5 * Loss(p2, z1)).MoveToOuterDisposeScope();
    }
}
