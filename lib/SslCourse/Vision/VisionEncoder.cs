using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>
/// An encoder φ: images (N, C, H, W) → representations (N, D). The thing that pretraining produces and adaptation
/// (linear probe, kNN, finetuning) consumes.
/// </summary>
public abstract class VisionEncoder(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The representation size D.</summary>
    public abstract int OutputDim { get; }

    /// <summary>A fresh encoder of the same architecture (new random weights).</summary>
    public abstract VisionEncoder CreateSibling();

    /// <summary>An independent copy with the same weights, on the same device (finetuning changes the copy, not this).</summary>
    public VisionEncoder Clone()
    {
        var copy = CreateSibling();
        copy.to(Device);
        copy.load_state_dict(state_dict());
        copy.train(training);
        return copy;
    }

    /// <summary>Where the weights live.</summary>
    public Device Device => parameters().FirstOrDefault()?.device ?? CPU;
}
