using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>
/// The rotations of rotation prediction (Gidaris, Singh &amp; Komodakis, 2018): every image turned by 0°, 90°, 180° and
/// 270°, labelled 0–3. <see cref="Training.RotationPrediction"/> trains on them.
/// </summary>
public static class Rotation
{
    /// <summary>The four rotations of a batch: (4B, C, H, W) images, the b-th block rotated by b·90° counter-clockwise,
    /// and (4B) int64 labels 0–3. The images must be square.</summary>
    /// <param name="x">(B, C, H, W) images with H = W.</param>
    public static (Tensor Images, Tensor Labels) AllRotations(Tensor x)
    {
        if (x.dim() != 4 || x.shape[2] != x.shape[3]) throw new ArgumentException($"rotation needs square (B, C, H, W) images, got [{string.Join(",", x.shape)}]");
        using var scope = NewDisposeScope();
        var images = cat([x, x.rot90(1, (2, 3)), x.rot90(2, (2, 3)), x.rot90(3, (2, 3))], 0);
        var labels = arange(4, dtype: ScalarType.Int64, device: x.device).repeat_interleave(x.shape[0]);
        return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
