using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>Fashion-MNIST (Xiao, Rasul &amp; Vollgraf, 2017): 60k train + 10k test 28×28 grey clothing images, 10 classes.</summary>
public static class FashionMnist
{
    /// <summary>The ten class names.</summary>
    public static IReadOnlyList<string> ClassNames => IdxDatasetSpec.FashionMnist.ClassNames;

    /// <summary>Loads a split: images (N, 1, 28, 28) float32 in [0, 1], labels (N) int64, on <paramref name="device"/>.</summary>
    /// <param name="train">Training split (60k) or test split (10k).</param>
    /// <param name="device">Target device (null = CPU).</param>
    /// <param name="limit">Keep only the first this many examples (the files' order is class-balanced enough for subsets).</param>
    /// <param name="sources">Where to look (null = course cache, then system copy, then download).</param>
    public static ImageDataset Load(bool train = true, Device? device = null, int? limit = null, DataSources? sources = null) =>
        IdxDatasetLoader.Load(IdxDatasetSpec.FashionMnist, train, device, limit, sources);
}

/// <summary>MNIST (LeCun et al., 1998): 60k train + 10k test 28×28 handwritten digits; same IDX format as Fashion-MNIST.</summary>
public static class Mnist
{
    /// <summary>Loads a split: images (N, 1, 28, 28) float32 in [0, 1], labels (N) int64, on <paramref name="device"/>.</summary>
    /// <param name="train">Training split (60k) or test split (10k).</param>
    /// <param name="device">Target device (null = CPU).</param>
    /// <param name="limit">Keep only the first this many examples.</param>
    /// <param name="sources">Where to look (null = course cache, then system copy, then download).</param>
    public static ImageDataset Load(bool train = true, Device? device = null, int? limit = null, DataSources? sources = null) =>
        IdxDatasetLoader.Load(IdxDatasetSpec.Mnist, train, device, limit, sources);
}
