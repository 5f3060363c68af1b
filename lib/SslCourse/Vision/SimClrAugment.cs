using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>Settings of <see cref="SimClrAugment"/>; a zero strength switches that step off.</summary>
/// <param name="CropScale">Area fraction range of the random resized crop.</param>
/// <param name="CropRatio">Aspect ratio range of the crop.</param>
/// <param name="FlipProbability">Probability of a horizontal flip.</param>
/// <param name="Brightness">Brightness jitter strength (factor in 1 ± this).</param>
/// <param name="Contrast">Contrast jitter strength.</param>
/// <param name="NoiseSigma">Pixel-noise standard deviation.</param>
/// <param name="BlurProbability">Probability of a 3×3 Gaussian blur.</param>
/// <param name="Saturation">Saturation jitter strength (colour images only).</param>
/// <param name="GrayscaleProbability">Probability of turning a colour view grey.</param>
public sealed record SimClrAugmentConfig(
    (double Min, double Max) CropScale,
    (double Min, double Max) CropRatio,
    double FlipProbability,
    double Brightness,
    double Contrast,
    double NoiseSigma,
    double BlurProbability,
    double Saturation = 0.0,
    double GrayscaleProbability = 0.0)
{
    /// <summary>For Fashion-MNIST: crops keeping half the area or more, flips, mild jitter, no colour (grey images).</summary>
    public static SimClrAugmentConfig FashionMnist { get; } = new((0.5, 1.0), (3.0 / 4, 4.0 / 3), 0.5, 0.4, 0.4, 0.0, 0.0);

    /// <summary>Stronger views (smaller crops, noise and blur): a harder pretext task.</summary>
    public static SimClrAugmentConfig Strong { get; } = new((0.2, 1.0), (3.0 / 4, 4.0 / 3), 0.5, 0.6, 0.6, 0.05, 0.5);

    /// <summary>For CIFAR-10: SimCLR's CIFAR recipe without blur (small crops, flips, colour jitter, random grey).</summary>
    public static SimClrAugmentConfig Cifar10 { get; } = new((0.2, 1.0), (3.0 / 4, 4.0 / 3), 0.5, 0.4, 0.4, 0.0, 0.0, Saturation: 0.4, GrayscaleProbability: 0.2);

    /// <summary>No augmentation at all: both views are the same image (the pretext task becomes trivial).</summary>
    public static SimClrAugmentConfig None { get; } = new((1.0, 1.0), (1.0, 1.0), 0.0, 0.0, 0.0, 0.0, 0.0);
}

/// <summary>
/// SimCLR's stochastic augmentation t ~ 𝒯 (Chen et al., 2020): crop-and-resize, flip, jitter, optional noise and
/// blur, applied per sample. Seeded: the same seed gives the same views; its generator lives on the batch's device.
/// </summary>
public sealed class SimClrAugment(SimClrAugmentConfig config, long seed = 0) : IDisposable
{
    private Generator? _generator;

    /// <summary>The settings.</summary>
    public SimClrAugmentConfig Config => config;

    /// <summary>One random view of each image. <paramref name="x"/>: (N, C, H, W) in [0, 1]; same shape, device and range out.</summary>
    public Tensor Apply(Tensor x)
    {
        var g = GeneratorFor(x.device);
        using var scope = NewDisposeScope();
        var y = x;
        if (config.CropScale.Min < 1 || config.CropRatio.Min < 1 || config.CropRatio.Max > 1)
            y = Augment.RandomResizedCrop(y, g, config.CropScale, config.CropRatio);
        if (config.FlipProbability > 0) y = Augment.HorizontalFlip(y, g, config.FlipProbability);
        if (config.Brightness > 0 || config.Contrast > 0) y = Augment.BrightnessContrast(y, g, config.Brightness, config.Contrast);
        if (config.Saturation > 0) y = Augment.Saturation(y, g, config.Saturation);
        if (config.GrayscaleProbability > 0) y = Augment.RandomGrayscale(y, g, config.GrayscaleProbability);
        if (config.BlurProbability > 0) y = Augment.GaussianBlur(y, g, (0.1, 1.5), config.BlurProbability);
        if (config.NoiseSigma > 0) y = Augment.GaussianNoise(y, g, config.NoiseSigma);
        return (ReferenceEquals(y, x) ? x.clone() : y).MoveToOuterDisposeScope();
    }

    /// <summary>Two independent views (x̂, x̃) of each image.</summary>
    public (Tensor View1, Tensor View2) Views(Tensor x) => (Apply(x), Apply(x));

    /// <summary>The generator the views on <paramref name="device"/> are drawn from (a checkpoint saves its state).</summary>
    public Generator GeneratorFor(Device device)
    {
        if (_generator is not null && _generator.device.type == device.type) return _generator;
        _generator?.Dispose();
        return _generator = new Generator((ulong)seed, device);
    }

    /// <summary>Frees the generator.</summary>
    public void Dispose() => _generator?.Dispose();
}
