using SslCourse.Checkpoints;
using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Training;
using SslCourse.Vision;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SslCourse.Tests.Checkpoints;

/// <summary>The shipped weights in data/pretrained/ and the machinery that makes and checks them.</summary>
public sealed class PretrainedTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>How far a re-measured check figure may drift from the manifest's: the probe and the features are
    /// deterministic up to the order of float sums across threads; 0.5 points is 10 of the 2,000 test images.</summary>
    private const double Tolerance = 0.005;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ssl-pretrained-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    [Fact]
    public void Every_shipped_encoder_matches_its_manifest_and_re_measures_its_check_figure()
    {
        var folder = Pretrained.Folder;
        var manifests = Directory.Exists(folder) ? Directory.GetFiles(folder, "*-seed*.json").Where(f => !f.EndsWith(".history.json")).Order().ToList() : [];
        var course = new CourseSession(Profile.Ci, CPU, 0, "test");
        using var data = VisionData.Load("fashion-mnist", course, trainLimit: 5_000, testLimit: 2_000);
        var names = PretrainedCatalog.For(data).Select(s => s.Name).ToHashSet();
        output.WriteLine($"{manifests.Count} manifest(s) in {folder}; catalog: {string.Join(", ", names)}");
        foreach (var path in manifests)
        {
            var m = PretrainedManifest.Read(path);
            Assert.True(names.Contains(m.Name), $"{path}: '{m.Name}' is not in the catalog");
            var (encoder, verified) = Pretrained.Load(data, m.Name, CPU, m.Seed);
            using (encoder)
            {
                var again = Pretrained.CheckFigure(encoder, data, m.Figures.CheckTrain, m.Figures.CheckTest);
                output.WriteLine($"{m.Name} seed {m.Seed}: check figure {100 * again:F2}% (manifest {100 * m.Figures.ProbeCheck:F2}%), full probe {100 * m.Figures.ProbeAll:F1}%, {m.TrainingSeconds / 60:F1} min, {m.LibraryCommit}");
                Assert.True(Math.Abs(again - m.Figures.ProbeCheck) <= Tolerance, $"{m.Name}: check figure {again:P2}, manifest {m.Figures.ProbeCheck:P2}");
            }
        }
    }

    // A tiny catalog entry on synthetic data: the same Train/Verify/Load code, in seconds.
    private static (PretrainedSpec Spec, VisionData Data) Tiny(int width = 8)
    {
        manual_seed(3);
        var labels = arange(200, dtype: ScalarType.Int64).remainder(10);
        var images = rand(200, 1, 28, 28) * 0.5 + labels.view(-1, 1, 1, 1).to(ScalarType.Float32) / 20;     // classes differ in brightness
        var names = Enumerable.Range(0, 10).Select(i => $"class {i}").ToArray();
        var data = new VisionData("synthetic", new ImageDataset(images, labels, names, "test"), new ImageDataset(images[..100], labels[..100], names, "test"));
        var config = new SslConfig(Steps: 4, BatchSize: 32, LearningRate: 1e-3, WarmupSteps: 1, LogEvery: 2);
        var conv = new ConvEncoderConfig(Width: width, Stages: 2);
        var spec = new PretrainedSpec("tiny", "SimCLR", "SimClr.Pretrain", config, conv, d => new ConvEncoder(conv).to(d), m => (VisionEncoder)m,
            (m, v, c, cp) => SimClr.Pretrain((VisionEncoder)m, v.Train.Images, config, c, cp));
        return (spec, data);
    }

    [Fact]
    public void A_trained_file_verifies_and_tampering_is_named()
    {
        var (spec, data) = Tiny();
        using var _ = data;
        var course = new CourseSession(Profile.Ci, CPU, 0, "test");
        var m = Pretrained.Train(spec, data, course, _dir, checkTrain: 200, checkTest: 100);
        Assert.Equal(64, m.Sha256.Length);
        Assert.Equal(5, m.Figures.Draws);
        Assert.Equal(2, m.Figures.CheckTrain / 100);
        Assert.False(Directory.Exists(Path.Combine(_dir, "resume", "tiny-seed0")), "the resume folder outlived the finished run");
        Assert.Equal(m.Sha256, Pretrained.Verify(data, spec, 0, _dir).Sha256);

        // The architecture changed since the file was made: named as a config (or shape) mismatch.
        var (wider, _) = Tiny(width: 16);
        var e1 = Assert.Throws<InvalidDataException>(() => Pretrained.Verify(data, wider, 0, _dir));
        Assert.Contains("config", e1.Message);

        // A flipped byte in the weights: named by its hash.
        var bin = Path.Combine(_dir, m.WeightsFile);
        var bytes = File.ReadAllBytes(bin);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(bin, bytes);
        var e2 = Assert.Throws<InvalidDataException>(() => Pretrained.Verify(data, spec, 0, _dir));
        Assert.Contains("sha256", e2.Message);
        Assert.Contains(bin, e2.Message);

        // Not shipped at all: the message says how to make it.
        var e3 = Assert.Throws<FileNotFoundException>(() => Pretrained.Verify(data, spec, 7, _dir));
        Assert.Contains("pretrain tiny --seed 7", e3.Message);
    }

    [Fact]
    public void A_loaded_encoder_reproduces_the_manifest_figure()
    {
        var (spec, data) = Tiny();
        using var _ = data;
        var course = new CourseSession(Profile.Ci, CPU, 0, "test");
        var m = Pretrained.Train(spec, data, course, _dir, checkTrain: 200, checkTest: 100);
        var model = spec.Build(CPU);
        model.load(Path.Combine(_dir, m.WeightsFile));
        model.eval();
        var again = Pretrained.CheckFigure((VisionEncoder)model, data, 200, 100);
        Assert.Equal(m.Figures.ProbeCheck, again, 6);
        // and the untrained model does not (the figure depends on the weights, so the check can fail)
        manual_seed(1234);
        using var fresh = (VisionEncoder)spec.Build(CPU);
        fresh.eval();
        Assert.NotEqual(m.Figures.ProbeCheck, Pretrained.CheckFigure(fresh, data, 200, 100), 6);
    }
}
