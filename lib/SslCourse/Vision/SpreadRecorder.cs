using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>Keeps the <see cref="FeatureSpread"/> of the last logged step (on the device) and writes it into the history as "feature_std".</summary>
internal sealed class SpreadRecorder(int every)
{
    private Tensor? _last;

    /// <summary>Called inside a step: captures the spread on logging steps only.</summary>
    public void Capture(int step, Tensor z)
    {
        if ((step + 1) % Math.Max(1, every) != 0) return;
        _last?.Dispose();
        _last = FeatureSpread.Of(z).DetachFromDisposeScope();
    }

    /// <summary>Trainer evaluate callback: one host read per record.</summary>
    public void Record(int step, History history)
    {
        if (_last is null) return;
        history.Add("feature_std", step, _last.cpu().item<float>());
        _last.Dispose();
        _last = null;
    }
}
