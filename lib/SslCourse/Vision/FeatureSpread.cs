using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Vision;

/// <summary>
/// The collapse monitor of SimSiam (Chen &amp; He, 2021, §4.1): the standard deviation over the batch of the
/// L2-normalised outputs, averaged over dimensions. It is 0 for a collapsed (constant) encoder and about 1/√D for
/// outputs spread evenly on the unit sphere.
/// </summary>
public static class FeatureSpread
{
    /// <summary>mean_d std_n( z_n / ‖z_n‖ )_d, as a scalar tensor (no host sync).</summary>
    /// <param name="z">(N, D) outputs.</param>
    public static Tensor Of(Tensor z)
    {
        using var scope = NewDisposeScope();
        return F.normalize(z.detach(), dim: 1).std(0).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The value for outputs spread uniformly on the unit sphere in D dimensions: 1/√D.</summary>
    public static double Uniform(int dim) => 1 / Math.Sqrt(dim);
}
