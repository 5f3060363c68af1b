using System.CommandLine;
using SslCourse.Checkpoints;
using SslCourse.Runtime;
using SslCourse.Vision;

// ./course pretrain: trains the encoders shipped in data/pretrained/ with the course's own recipes at the full
// profile, resuming interrupted runs, and writes each one's manifest.
var names = new Argument<string[]>("names") { Description = "Catalog names (e.g. simclr rotation), or 'all' for every one not shipped yet", Arity = ArgumentArity.ZeroOrMore };
var seed = new Option<int>("--seed") { Description = "Pretraining seed", DefaultValueFactory = _ => 0 };
var outDir = new Option<string?>("--out") { Description = "Folder for weights and manifests (default data/pretrained)" };
var force = new Option<bool>("--force") { Description = "Retrain even when a manifest is there" };
var train = new Command("train", "Train (or resume) and write weights + manifest") { names, seed, outDir, force };
var list = new Command("list", "List the catalog and what is shipped") { seed, outDir };
var root = new RootCommand("SslCourse's shipped pretrained encoders") { train, list };

train.SetAction(parse =>
{
    var course = Course.Init("full", parse.GetValue(seed));
    using var data = VisionData.Load("fashion-mnist", course);
    var folder = parse.GetValue(outDir) ?? Pretrained.Folder;
    var catalog = PretrainedCatalog.For(data);
    var wanted = parse.GetValue(names) ?? [];
    if (wanted.Length == 0) { Console.Error.WriteLine("pretrain: name the encoders to train (or 'all'); see 'list'"); return 2; }
    IEnumerable<PretrainedSpec> specs;
    try { specs = wanted.SequenceEqual(["all"]) ? catalog : wanted.Select(n => PretrainedCatalog.Find(data, n)).ToList(); }
    catch (ArgumentException e) { Console.Error.WriteLine($"pretrain: {e.Message}"); return 2; }
    foreach (var spec in specs)
    {
        var manifest = Path.Combine(folder, Pretrained.Stem(spec.Name, course.Seed) + ".json");
        if (File.Exists(manifest) && !parse.GetValue(force)) { Console.WriteLine($"{spec.Name}: shipped ({manifest}); --force retrains"); continue; }
        var m = Pretrained.Train(spec, data, course, folder);
        Console.WriteLine($"{spec.Name}: linear probe {100 * m.Figures.ProbeAll:F1}% (all labels), {100 * m.Figures.Probe10Mean:F1} ± {100 * m.Figures.Probe10Sd:F1}% (10/class, {m.Figures.Draws} draws); " +
            $"check figure {100 * m.Figures.ProbeCheck:F1}%; {m.TrainingSeconds / 60:F1} min → {manifest}");
    }
    return 0;
});
list.SetAction(parse =>
{
    var course = Course.Init("ci", parse.GetValue(seed), quiet: true);
    using var data = VisionData.Load("fashion-mnist", course, trainLimit: 10, testLimit: 10);
    var folder = parse.GetValue(outDir) ?? Pretrained.Folder;
    foreach (var spec in PretrainedCatalog.For(data))
    {
        var path = Path.Combine(folder, Pretrained.Stem(spec.Name, course.Seed) + ".json");
        var status = File.Exists(path) ? PretrainedManifest.Read(path) is var m ? $"shipped: probe {100 * m.Figures.ProbeAll:F1}%, {m.TrainingSeconds / 60:F1} min" : "" : "not shipped";
        Console.WriteLine($"{spec.Name,-22} {spec.Recipe,-60} {status}");
    }
    return 0;
});
return root.Parse(args).Invoke();
