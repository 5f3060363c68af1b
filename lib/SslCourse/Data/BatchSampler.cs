using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>Draws random mini-batches (with replacement across steps) from an image tensor, on the images' device, seeded.</summary>
public sealed class BatchSampler : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor? _labels;
    private readonly int _batch;
    private readonly Generator _generator;

    /// <summary>Samples from <paramref name="images"/> (and matching <paramref name="labels"/>, if any).</summary>
    public BatchSampler(Tensor images, int batchSize, long seed, Tensor? labels = null)
    {
        _images = images;
        _labels = labels;
        _batch = (int)Math.Min(batchSize, images.shape[0]);
        _generator = new Generator((ulong)seed, images.device);
    }

    /// <summary>A batch of images (B, C, H, W) and, when given, labels (B), both on the images' device.</summary>
    public (Tensor Images, Tensor? Labels) Next()
    {
        var idx = randint(_images.shape[0], [_batch], dtype: ScalarType.Int64, device: _images.device, generator: _generator);
        return (_images.index_select(0, idx), _labels?.index_select(0, idx.to(_labels.device)));
    }

    /// <summary>The generator that picks each batch (a checkpoint saves its state).</summary>
    public Generator Generator => _generator;

    /// <summary>Frees the generator.</summary>
    public void Dispose() => _generator.Dispose();
}
