using SslCourse.Checkpoints;
using SslCourse.Training;
using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Tests.Vision;

public sealed class EncoderCacheTests : IDisposable
{
    private static readonly ConvEncoderConfig Micro = new(Width: 8, Stages: 2); // 8 and 16 channels: whole oneDNN AVX2 blocks (see Runtime/OneDnnIsa.cs)
    private readonly string _dir = Directory.CreateTempSubdirectory("encoder-cache").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static ConvEncoder Fresh(int seed) { manual_seed(seed); return new ConvEncoder(Micro); }

    // Stands in for training: shifts every weight and records a history, so a reload can be told from a retrain.
    private static Func<History> FakeTraining(ConvEncoder model, List<Dictionary<string, Tensor>> seenAtStart) => () =>
    {
        seenAtStart.Add(model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone()));
        using (no_grad()) foreach (var p in model.parameters()) p.add_(1.0);
        var h = new History { Seconds = 1.5, Throughput = 10 };
        h.Steps.Add(5); h.Loss.Add(0.25); h.Add("feature_std", 5, 0.125);
        return h;
    };

    [Fact]
    public void SecondCallLoadsTheTrainedWeightsAndHistoryWithoutTraining()
    {
        var starts = new List<Dictionary<string, Tensor>>();
        using var first = Fresh(1);
        var (h1, cached1) = EncoderCache.GetOrTrain("k", first, FakeTraining(first, starts), _dir);
        using var second = Fresh(2);
        var (h2, cached2) = EncoderCache.GetOrTrain("k", second, FakeTraining(second, starts), _dir);
        Assert.False(cached1);
        Assert.True(cached2);
        Assert.Single(starts);
        foreach (var ((n, p), (_, q)) in first.named_parameters().Zip(second.named_parameters())) Assert.True(p.allclose(q, 0, 0), n);
        Assert.Equal(h1.Loss, h2.Loss);
        Assert.Equal(h1.Metrics["feature_std"], h2.Metrics["feature_std"]);
        Assert.Equal(1.5, h2.Seconds);
    }

    [Fact]
    public void TruncatedCheckpointIsRetrainedFromTheInitialWeights()
    {
        var starts = new List<Dictionary<string, Tensor>>();
        using (var trained = Fresh(1)) EncoderCache.GetOrTrain("k", trained, FakeTraining(trained, starts), _dir);
        var bin = Path.Combine(_dir, "k.bin");
        var bytes = File.ReadAllBytes(bin);
        File.WriteAllBytes(bin, bytes[..(bytes.Length * 2 / 3)]); // the first tensors load, the rest is missing

        using var model = Fresh(3);
        var initial = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var (_, cached) = EncoderCache.GetOrTrain("k", model, FakeTraining(model, starts), _dir);
        Assert.False(cached);
        Assert.Equal(2, starts.Count);
        foreach (var (name, t) in initial) Assert.True(starts[1][name].allclose(t, 0, 0), $"{name} was not restored before retraining");
        Assert.True(new FileInfo(bin).Length == bytes.Length, "the retrained checkpoint replaces the truncated one");
    }
}
