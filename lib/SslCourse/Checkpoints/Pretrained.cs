using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SslCourse.Adapt;
using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Training;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Checkpoints;

/// <summary>
/// The encoders the course ships in <c>data/pretrained/</c>, trained at the <c>full</c> profile by the course's own
/// recipes (UvA's DL tutorials load their authors' weights the same way): <see cref="Load"/> gives a notebook the
/// full-scale result in seconds, <see cref="Train"/> (<c>./course pretrain NAME</c>) reproduces one, resumably.
/// </summary>
public static class Pretrained
{
    /// <summary>The shipped weights' folder: <c>data/pretrained</c>.</summary>
    public static string Folder => Path.Combine(DataFolder.Resolve(), "pretrained");

    /// <summary>The file stem of <paramref name="name"/> at <paramref name="seed"/>: "simclr-seed0".</summary>
    public static string Stem(string name, int seed) => $"{name}-seed{seed}";

    /// <summary>Loads a shipped encoder after checking its file against its manifest.</summary>
    /// <param name="data">The dataset it was trained on (Fashion-MNIST; its channels shape the architecture).</param>
    /// <param name="name">A <see cref="PretrainedCatalog"/> name, e.g. "simclr".</param>
    /// <param name="device">Where to put it.</param>
    /// <param name="seed">The pretraining seed.</param>
    /// <param name="folder">Where the files are (default <see cref="Folder"/>).</param>
    /// <exception cref="FileNotFoundException">Not shipped; the message says how to make it.</exception>
    /// <exception cref="InvalidDataException">The file does not match its manifest.</exception>
    public static (VisionEncoder Encoder, PretrainedManifest Manifest) Load(VisionData data, string name, Device device, int seed = 0, string? folder = null)
    {
        var spec = PretrainedCatalog.Find(data, name);
        var manifest = Verify(data, spec, seed, folder ?? Folder);
        var model = spec.Build(CPU);
        model.load(Path.Combine(folder ?? Folder, manifest.WeightsFile));
        model.to(device);
        model.eval();
        return (spec.Encoder(model), manifest);
    }

    /// <summary>
    /// <see cref="Load"/> for a notebook: null, with one printed line saying why, when the weights are not shipped or
    /// were trained on another dataset than <paramref name="data"/>'s; any other mismatch still throws.
    /// </summary>
    public static (VisionEncoder Encoder, PretrainedManifest Manifest)? TryLoad(VisionData data, string name, Device device, int seed = 0)
    {
        if (data.Name != "fashion-mnist")
        {
            Console.WriteLine($"shipped weights are for Fashion-MNIST; this run uses {data.Name}, so there is no full-scale {name} to compare with");
            return null;
        }
        try { return Load(data, name, device, seed); }
        catch (FileNotFoundException e)
        {
            Console.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>Checks a shipped file against its manifest: the hash, every tensor's shape, and that its configs are
    /// the catalog's. Returns the manifest.</summary>
    /// <exception cref="FileNotFoundException">The manifest or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">Something differs; the message says what.</exception>
    public static PretrainedManifest Verify(VisionData data, PretrainedSpec spec, int seed, string folder)
    {
        var manifestPath = Path.Combine(folder, Stem(spec.Name, seed) + ".json");
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"{manifestPath} is missing: '{spec.Name}' (seed {seed}) is not shipped; make it with ./course pretrain {spec.Name} --seed {seed}", manifestPath);
        var m = PretrainedManifest.Read(manifestPath);
        var weights = Path.Combine(folder, m.WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"{weights} is missing (named by {manifestPath})", weights);
        var sha = Sha256(weights);
        if (sha != m.Sha256) throw new InvalidDataException($"{weights}: sha256 {sha[..12]}… but its manifest says {m.Sha256[..Math.Min(12, m.Sha256.Length)]}…");
        if (m.Name != spec.Name || m.Seed != seed || m.Dataset != data.Name)
            throw new InvalidDataException($"{manifestPath}: describes {m.Name} seed {m.Seed} on {m.Dataset}, expected {spec.Name} seed {seed} on {data.Name}");
        if (!JsonNode.DeepEquals(m.Config, PretrainedManifest.ConfigNode(spec.Config)) || !JsonNode.DeepEquals(m.Architecture, PretrainedManifest.ConfigNode(spec.Architecture)))
            throw new InvalidDataException($"{manifestPath}: its training or architecture config is not the catalog's ({spec.Recipe}); retrain with ./course pretrain {spec.Name}");
        using var model = spec.Build(CPU);
        var shapes = Shapes(model);
        var wrong = shapes.Where(kv => !m.Shapes.TryGetValue(kv.Key, out var s) || !s.SequenceEqual(kv.Value)).Select(kv => kv.Key)
            .Concat(m.Shapes.Keys.Where(k => !shapes.ContainsKey(k))).ToList();
        if (wrong.Count > 0) throw new InvalidDataException($"{manifestPath}: tensor shapes differ from the model's at {string.Join(", ", wrong.Take(5))}");
        return m;
    }

    /// <summary>
    /// Trains <paramref name="spec"/> at the session's seed with the course's recipe, resuming from
    /// <c>resume/NAME-seedS/</c> in <paramref name="folder"/> when a previous run was interrupted, then saves the
    /// weights and measures the figures into the manifest. The session must use the full profile's data.
    /// </summary>
    /// <param name="spec">What to train.</param>
    /// <param name="data">The full training and test sets.</param>
    /// <param name="course">The session (seed, device).</param>
    /// <param name="folder">Where weights and manifest go (default <see cref="Folder"/>).</param>
    /// <param name="checkTrain">Training images of the manifest's cheap check figure.</param>
    /// <param name="checkTest">Test images of the cheap check figure.</param>
    public static PretrainedManifest Train(PretrainedSpec spec, VisionData data, CourseSession course, string? folder = null, int checkTrain = 5_000, int checkTest = 2_000)
    {
        folder ??= Folder;
        Directory.CreateDirectory(folder);
        var stem = Stem(spec.Name, course.Seed);
        var resume = Path.Combine(folder, "resume", stem);
        manual_seed(spec.Train is null ? course.Seed + 100 : course.Seed);        // the notebooks' random encoder is seeded + 100
        using var model = spec.Build(course.Device);
        var clock = Stopwatch.StartNew();
        var history = spec.Train?.Invoke(model, data, course, resume);
        var seconds = history?.Seconds ?? clock.Elapsed.TotalSeconds;
        var weightsFile = stem + ".bin";
        AtomicFile.Write(Path.Combine(folder, weightsFile), tmp => model.save(tmp));
        if (history is not null) AtomicFile.WriteAllText(Path.Combine(folder, stem + ".history.json"), HistoryJson.Write(history));
        Console.WriteLine($"{spec.Name}: trained in {seconds / 60:F1} min; measuring the linear probe");
        var figures = Measure(spec.Encoder(model), data, course.Seed, checkTrain: checkTrain, checkTest: checkTest);
        var manifest = new PretrainedManifest(PretrainedManifest.CurrentFormat, spec.Name, spec.Method, spec.Recipe, data.Name, data.Train.Count, data.Test.Count,
            course.Seed, course.Profile.Name(), PretrainedManifest.ConfigNode(spec.Config), PretrainedManifest.ConfigNode(spec.Architecture)!,
            LibraryCommit(), Math.Round(seconds, 1), Hardware(), DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm'Z'"),
            weightsFile, Sha256(Path.Combine(folder, weightsFile)), new FileInfo(Path.Combine(folder, weightsFile)).Length, Shapes(model), figures,
            history?.Loss.FirstOrDefault(), history?.LastLoss);
        AtomicFile.WriteAllText(Path.Combine(folder, stem + ".json"), manifest.ToJson());
        new TrainingCheckpoint(resume, []).Delete();
        return manifest;
    }

    /// <summary>The figures a manifest records, measured on <paramref name="data"/>'s full train and test sets.</summary>
    public static PretrainedFigures Measure(VisionEncoder encoder, VisionData data, int seed, int draws = 5, int checkTrain = 5_000, int checkTest = 2_000)
    {
        using var scope = NewDisposeScope();
        var (train, test) = (data.Train, data.Test);
        var fTrain = Features.Extract(encoder, train.Images, toCpu: false);
        var fTest = Features.Extract(encoder, test.Images, toCpu: false);
        var (yTrain, yTest) = (train.Labels.to(fTrain.device), test.Labels.to(fTest.device));
        double Probe(Tensor f, Tensor y, Tensor ft, Tensor yt) { using var p = LinearProbe.Fit(f, y, train.Classes); return p.Accuracy(ft, yt); }
        var all = Probe(fTrain, yTrain, fTest, yTest);
        var tens = Enumerable.Range(0, draws).Select(d =>
        {
            using var s = NewDisposeScope();
            var idx = tensor(StratifiedSampler.Indices(train.Labels, 10, seed + d), device: fTrain.device);
            return Probe(fTrain.index_select(0, idx), yTrain.index_select(0, idx), fTest, yTest);
        }).ToArray();
        var mean = tens.Average();
        var sd = Math.Sqrt(tens.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, draws - 1));
        return new PretrainedFigures(all, mean, sd, draws, CheckFigure(encoder, data, checkTrain, checkTest), checkTrain, checkTest);
    }

    /// <summary>The cheap figure: a linear probe on the first <paramref name="trainImages"/> training images, scored on the first <paramref name="testImages"/> test images.</summary>
    public static double CheckFigure(VisionEncoder encoder, VisionData data, int trainImages = 5_000, int testImages = 2_000)
    {
        using var scope = NewDisposeScope();
        var (train, test) = (data.Train.Take(trainImages), data.Test.Take(testImages));
        var f = Features.Extract(encoder, train.Images, toCpu: false);
        var ft = Features.Extract(encoder, test.Images, toCpu: false);
        using var probe = LinearProbe.Fit(f, train.Labels.to(f.device), train.Classes);
        return probe.Accuracy(ft, test.Labels.to(ft.device));
    }

    /// <summary>The lowercase hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    private static SortedDictionary<string, long[]> Shapes(nn.Module model) =>
        new(model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape), StringComparer.Ordinal);

    private static string LibraryCommit()
    {
        try
        {
            string Git(string args)
            {
                using var p = Process.Start(new ProcessStartInfo("git", args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DataFolder.Resolve() })!;
                var text = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                return text;
            }
            var head = Git("rev-parse --short=12 HEAD");
            return head.Length == 0 ? "unknown" : head + (Git("status --porcelain -- ../lib").Length > 0 ? "+uncommitted" : "");
        }
        catch (System.ComponentModel.Win32Exception) { return "unknown (no git)"; }
    }

    private static string Hardware()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        return $"{cpu}, {Environment.ProcessorCount} logical CPUs, libtorch threads {torch.get_num_threads()}, {Environment.OSVersion}, no GPU used";
    }
}
