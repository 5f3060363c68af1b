using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// What one training step returns to <see cref="Trainer"/>:
/// the scalar loss to minimise and, optionally, named scalar metrics (still on the device). The trainer sums each
/// metric on the device and records its mean over the steps since the previous record, as it does the loss, so a
/// step never syncs with the host and never needs captured state to report a number (PyTorch Lightning's
/// <c>self.log</c> in <c>training_step</c>).
/// </summary>
/// <param name="Loss">The scalar loss; the trainer calls <c>backward()</c> on it.</param>
/// <param name="Metrics">Scalar tensors to log (detached by the trainer), e.g. <c>["feature_std"] = FeatureSpread.Of(z)</c>.</param>
public readonly record struct StepResult(Tensor Loss, IReadOnlyDictionary<string, Tensor>? Metrics = null)
{
    /// <summary>A step that reports only its loss.</summary>
    public static implicit operator StepResult(Tensor loss) => new(loss);
}
