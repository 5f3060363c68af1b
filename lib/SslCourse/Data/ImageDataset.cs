using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>A labelled image set held as two tensors on one device.</summary>
/// <param name="Images">(N, C, H, W) float32 in [0, 1].</param>
/// <param name="Labels">(N) int64 class indices.</param>
/// <param name="ClassNames">Name per class index.</param>
/// <param name="Source">Where the data came from (printed by notebooks).</param>
public sealed record ImageDataset(Tensor Images, Tensor Labels, IReadOnlyList<string> ClassNames, string Source) : IDisposable
{
    /// <summary>Number of images.</summary>
    public long Count => Images.shape[0];

    /// <summary>Number of classes.</summary>
    public int Classes => ClassNames.Count;

    /// <summary>The first <paramref name="n"/> examples (a view, no copy).</summary>
    public ImageDataset Take(long n) => this with { Images = Images[..(int)Math.Min(n, Count)], Labels = Labels[..(int)Math.Min(n, Count)] };

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
