using SslCourse.Data;
using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>
/// Linear-probe accuracies of several encoders, one per stratified label draw, on the same draws and the same test
/// images, kept per test image so that a difference between two methods can be given with its noise
/// (<see cref="AccuracyDifference"/>). The sweep (<see cref="LabelEfficiency"/>) keeps only the mean over draws.
/// </summary>
public sealed class ProbeDraws
{
    private readonly Dictionary<string, double[][]> _correct;   // method → draw → test image → 1 if right

    private ProbeDraws(int? perClass, Dictionary<string, double[][]> correct)
    {
        PerClass = perClass;
        _correct = correct;
    }

    /// <summary>Labels per class (null = every training label, a single draw).</summary>
    public int? PerClass { get; }

    /// <summary>Number of label draws.</summary>
    public int Draws => _correct.Values.First().Length;

    /// <summary>The methods measured, in the order given.</summary>
    public IReadOnlyCollection<string> Methods => _correct.Keys;

    /// <summary>Fits one probe per method and draw (draw d uses the stratified subset of seed <paramref name="seed"/> + d).</summary>
    /// <param name="methods">Name → frozen encoder.</param>
    /// <param name="train">The labelled pool.</param>
    /// <param name="test">The test images.</param>
    /// <param name="perClass">Labels per class; null = all (then one draw, whatever <paramref name="draws"/> says).</param>
    /// <param name="draws">Stratified subsets to draw.</param>
    /// <param name="seed">Seed of the first subset, as in <see cref="LabelEfficiencyOptions"/>.</param>
    /// <param name="probe">Probe settings.</param>
    public static ProbeDraws Measure(IReadOnlyDictionary<string, VisionEncoder> methods, ImageDataset train, ImageDataset test, int? perClass, int draws,
        int seed, LinearProbeOptions? probe = null)
    {
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), $"need at least one label draw, got {draws}");
        var subsets = Enumerable.Range(0, perClass is null ? 1 : draws).Select(d => StratifiedSampler.Indices(train.Labels, perClass, seed + d)).ToList();
        var correct = new Dictionary<string, double[][]>();
        foreach (var (name, encoder) in methods)
        {
            using var scope = NewDisposeScope();
            var device = encoder.Device;
            var fTrain = Features.Extract(encoder, train.Images, toCpu: false);
            var fTest = Features.Extract(encoder, test.Images, toCpu: false);
            var (yTrain, yTest) = (train.Labels.to(device), test.Labels.to(device));
            correct[name] = subsets.Select(indices =>
            {
                using var draw = NewDisposeScope();
                var idx = tensor(indices, device: device);
                var (f, y) = perClass is null ? (fTrain, yTrain) : (fTrain.index_select(0, idx), yTrain.index_select(0, idx));
                using var p = LinearProbe.Fit(f, y, train.Classes, probe);
                return p.Predict(fTest).eq(yTest).to(ScalarType.Float64).cpu().data<double>().ToArray();
            }).ToArray();
        }
        return new ProbeDraws(perClass, correct);
    }

    /// <summary>Test accuracy of each draw.</summary>
    public double[] Accuracies(string method) => Correct(method).Select(c => c.Average()).ToArray();

    /// <summary>Mean accuracy over the draws.</summary>
    public double Mean(string method) => Accuracies(method).Average();

    /// <summary>Standard deviation of the accuracy over the draws (0 for one draw).</summary>
    public double Sd(string method) => AccuracyDifference.SampleSd(Accuracies(method));

    /// <summary>"74.1 ± 1.2%": mean ± sd over the draws, in percent.</summary>
    public string Format(string method) => Draws > 1 ? $"{100 * Mean(method):F1} ± {100 * Sd(method):F1}%" : $"{100 * Mean(method):F1}%";

    /// <summary>Accuracy of <paramref name="a"/> minus that of <paramref name="b"/>, paired draw by draw and image by image.</summary>
    public AccuracyDifference Difference(string a, string b) => AccuracyDifference.Paired(a, b, Correct(a), Correct(b));

    private double[][] Correct(string method) =>
        _correct.TryGetValue(method, out var c) ? c : throw new KeyNotFoundException($"no probe results for \"{method}\"; measured: {string.Join(", ", _correct.Keys)}");
}
