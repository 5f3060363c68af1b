using SslCourse.Data;
using SslCourse.Runtime;

namespace SslCourse.Vision;

/// <summary>
/// A chapter-01 dataset by name ("fashion-mnist", "mnist", "cifar-10") with the matching augmentation and model
/// shapes, so a notebook's <c>Dataset</c> parameter switches data without changing the code path.
/// </summary>
/// <param name="Name">The dataset's name.</param>
/// <param name="Train">Training split.</param>
/// <param name="Test">Test split.</param>
public sealed record VisionData(string Name, ImageDataset Train, ImageDataset Test) : IDisposable
{
    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "mnist", "cifar-10"];

    /// <summary>Loads both splits on the session's device, keeping the first <paramref name="trainLimit"/> / <paramref name="testLimit"/> examples.</summary>
    /// <exception cref="ArgumentException">An unknown name, named in the message with the known ones.</exception>
    public static VisionData Load(string name, CourseSession course, int? trainLimit = null, int? testLimit = null, DataSources? sources = null)
    {
        var key = name.Trim().ToLowerInvariant();
        Func<bool, int?, ImageDataset> load = key switch
        {
            "fashion-mnist" => (train, limit) => FashionMnist.Load(train, course.Device, limit, sources),
            "mnist" => (train, limit) => Mnist.Load(train, course.Device, limit, sources),
            "cifar-10" => (train, limit) => Cifar10.Load(train, course.Device, limit, sources),
            _ => throw new ArgumentException($"Dataset \"{name}\" is not known: use one of {string.Join(", ", Names.Select(n => $"\"{n}\""))}", nameof(name)),
        };
        var trainSet = load(true, trainLimit);
        return new VisionData(key, trainSet, load(false, testLimit));
    }

    /// <summary>(C, H, W) of one image.</summary>
    public (int C, int H, int W) Shape => ((int)Train.Images.shape[1], (int)Train.Images.shape[2], (int)Train.Images.shape[3]);

    /// <summary>SimCLR's views for this data: colour jitter and random grey for CIFAR-10, grey-image jitter otherwise.</summary>
    public SimClrAugmentConfig Augment => Name == "cifar-10" ? SimClrAugmentConfig.Cifar10 : SimClrAugmentConfig.FashionMnist;

    /// <summary><paramref name="size"/> with this data's input channels.</summary>
    public ConvEncoderConfig EncoderConfigFor(ConvEncoderConfig size) => size with { InChannels = Shape.C };

    /// <summary><paramref name="size"/> for this image size and channels (patch side 4 when the preset's does not divide the image).</summary>
    public MaeConfig MaeConfigFor(MaeConfig size) =>
        size with { ImageSize = Shape.H, Channels = Shape.C, PatchSize = Shape.H % size.PatchSize == 0 ? size.PatchSize : 4 };

    /// <summary>The raw-pixel baseline for this shape.</summary>
    public PixelEncoder Pixels() => new(Shape);

    /// <summary>Frees both splits.</summary>
    public void Dispose() { Train.Dispose(); Test.Dispose(); }
}
