using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Vision;

/// <summary>
/// Batched image augmentations in the style of SimCLR (Chen et al., 2020, appendix A), each drawing its
/// per-sample parameters from a <see cref="Generator"/> on the batch's device, so they run on the GPU when the
/// batch is there and replay exactly under the same seed. Inputs are (N, C, H, W) in [0, 1]; outputs keep shape and range.
/// </summary>
public static class Augment
{
    /// <summary>
    /// Random resized crop: each sample gets an area fraction s ~ U(scale) and an aspect ratio r with log r ~ U(log ratio),
    /// a random centre inside the image, and the crop is resampled back to H × W (affine_grid + bilinear grid_sample).
    /// </summary>
    public static Tensor RandomResizedCrop(Tensor x, Generator g, (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var opts = (dtype: x.dtype, device: x.device);
        var s = rand(n, dtype: opts.dtype, device: opts.device, generator: g) * (scale.Max - scale.Min) + scale.Min;
        var logR = rand(n, dtype: opts.dtype, device: opts.device, generator: g) * (Math.Log(ratio.Max) - Math.Log(ratio.Min)) + Math.Log(ratio.Min);
        var r = logR.exp();
        var w = (s * r).sqrt().clamp_max(1);                          // crop width as a fraction of the image
        var h = (s / r).sqrt().clamp_max(1);
        var cx = (rand(n, dtype: opts.dtype, device: opts.device, generator: g) * 2 - 1) * (1 - w);   // centre in [-1, 1] coords
        var cy = (rand(n, dtype: opts.dtype, device: opts.device, generator: g) * 2 - 1) * (1 - h);
        var zero = zeros_like(w);
        var theta = stack([stack([w, zero, cx], 1), stack([zero, h, cy], 1)], 1);   // (N, 2, 3)
        var grid = F.affine_grid(theta, x.shape, align_corners: false);
        return F.grid_sample(x, grid, align_corners: false).MoveToOuterDisposeScope();
    }

    /// <summary>Flips each sample left-right with probability <paramref name="p"/>.</summary>
    public static Tensor HorizontalFlip(Tensor x, Generator g, double p = 0.5)
    {
        using var scope = NewDisposeScope();
        var flip = (rand(x.shape[0], device: x.device, generator: g) < p).view(-1, 1, 1, 1);
        return where(flip, x.flip(3), x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Brightness and contrast jitter: x ← clamp(b·x) with b ~ U(1 ± brightness), then x ← clamp(μ + c·(x − μ)) with
    /// c ~ U(1 ± contrast) and μ the sample's mean intensity (torchvision's ColorJitter for grey images).
    /// </summary>
    public static Tensor BrightnessContrast(Tensor x, Generator g, double brightness, double contrast)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var b = (rand(n, dtype: x.dtype, device: x.device, generator: g) * 2 - 1) * brightness + 1;
        var c = (rand(n, dtype: x.dtype, device: x.device, generator: g) * 2 - 1) * contrast + 1;
        var y = (x * b.view(-1, 1, 1, 1)).clamp(0, 1);
        var mu = y.mean([1, 2, 3], keepdim: true);
        return ((y - mu) * c.view(-1, 1, 1, 1) + mu).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Adds N(0, σ²) pixel noise to each sample with probability <paramref name="p"/>, clamped to [0, 1].</summary>
    public static Tensor GaussianNoise(Tensor x, Generator g, double sigma, double p = 1.0)
    {
        using var scope = NewDisposeScope();
        var apply = (rand(x.shape[0], device: x.device, generator: g) < p).view(-1, 1, 1, 1).to(x.dtype);
        var noise = randn(x.shape, dtype: x.dtype, device: x.device, generator: g) * sigma;
        return (x + noise * apply).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>3×3 Gaussian blur with σ ~ U(sigma) (one σ per batch) applied to each sample with probability <paramref name="p"/>.</summary>
    public static Tensor GaussianBlur(Tensor x, Generator g, (double Min, double Max) sigma, double p = 0.5)
    {
        using var scope = NewDisposeScope();
        // σ and the kernel stay on the batch's device: no host read per batch.
        var sd = rand(1, dtype: x.dtype, generator: g, device: x.device) * (sigma.Max - sigma.Min) + sigma.Min;
        var side = (-1.0 / (2 * sd * sd)).exp();
        var k1 = cat([side, ones_like(side), side]);
        k1 = k1 / k1.sum();
        long c = x.shape[1];
        var kernel = k1.outer(k1).expand(c, 1, 3, 3).contiguous();
        var blurred = F.conv2d(F.pad(x, [1, 1, 1, 1], PaddingModes.Replicate), kernel, groups: c);
        var apply = (rand(x.shape[0], device: x.device, generator: g) < p).view(-1, 1, 1, 1);
        return where(apply, blurred, x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Saturation jitter for colour images: x ← clamp(g + s·(x − g)) with s ~ U(1 ± strength) and g the pixel's grey level
    /// (ITU-R 601 luma, as torchvision). Grey (1-channel) batches are returned unchanged.
    /// </summary>
    public static Tensor Saturation(Tensor x, Generator g, double strength)
    {
        if (x.shape[1] != 3) return x.alias();
        using var scope = NewDisposeScope();
        var s = (rand(x.shape[0], dtype: x.dtype, device: x.device, generator: g) * 2 - 1) * strength + 1;
        var grey = Grey(x);
        return ((x - grey) * s.view(-1, 1, 1, 1) + grey).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Turns each colour sample grey (its luma in all three channels) with probability <paramref name="p"/>; grey batches pass through.</summary>
    public static Tensor RandomGrayscale(Tensor x, Generator g, double p)
    {
        if (x.shape[1] != 3) return x.alias();
        using var scope = NewDisposeScope();
        var apply = (rand(x.shape[0], device: x.device, generator: g) < p).view(-1, 1, 1, 1);
        return where(apply, Grey(x).expand_as(x), x).MoveToOuterDisposeScope();
    }

    private static Tensor Grey(Tensor x) =>
        (x[.., 0..1] * 0.299 + x[.., 1..2] * 0.587 + x[.., 2..3] * 0.114);   // (N, 1, H, W)
}
