using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>The "no learning" baseline: the representation of an image is its raw pixels, flattened (D = C·H·W).</summary>
/// <param name="inputShape">(C, H, W) of one image, e.g. (1, 28, 28).</param>
public sealed class PixelEncoder((int C, int H, int W) inputShape) : VisionEncoder("PixelEncoder")
{
    /// <inheritdoc/>
    public override int OutputDim => inputShape.C * inputShape.H * inputShape.W;

    /// <inheritdoc/>
    public override VisionEncoder CreateSibling() => new PixelEncoder(inputShape);

    /// <summary>(N, C, H, W) → (N, C·H·W).</summary>
    public override Tensor forward(Tensor x) => x.flatten(1);
}
