#:project ../lib/SslCourse/SslCourse.csproj
// Chapter 01's ideas as one short program over the course library, on real data (Fashion-MNIST):
// contrastive pretraining that returns features and a loss, a linear probe on those features, and finetuning.
// The C# counterpart of the original course's code/pretraining_examples.py; each function mirrors one of its.
// Run from the repository root:   dotnet run -c Release examples/pretraining_examples.cs
// Needs Fashion-MNIST (./course run or scripts/setup installs it). About a minute on 2 CPU cores.
using SslCourse.Training;
using SslCourse.Adapt;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

var course = Course.Init("ci", seed: 0);
var data = VisionData.Load("fashion-mnist", course, trainLimit: 5_000, testLimit: 2_000);
Console.WriteLine($"data: {data.Train.Count} training and {data.Test.Count} test images of {data.Name}, {data.Train.Classes} classes");

// Quick start, as in the original: features, loss = contrastive_learning_example()
var (encoder, features, loss) = ContrastiveLearningExample();
var probeAccuracy = LinearProbeExample(encoder);
FinetuningExample(encoder, probeAccuracy);

// SimCLR (Chen et al., 2020): two augmented views of each image, an encoder and a projection head, the NT-Xent loss
// pulling each image's two views together and pushing the other 2B − 2 views apart. No labels are used.
(VisionEncoder Encoder, Tensor Features, double Loss) ContrastiveLearningExample()
{
    Console.WriteLine("\n1. contrastive learning (SimCLR, NT-Xent), labels unused");
    var config = SslConfig.Ci with { Steps = 200, Augment = data.Augment };
    manual_seed(course.Seed);
    var encoder = new ConvEncoder(data.EncoderConfigFor(ConvEncoderConfig.Tiny)).to(course.Device);
    var history = SimClr.Pretrain(encoder, data.Train.Images, config, course);
    var chance = Math.Log(2 * config.BatchSize - 1);
    Console.WriteLine($"   NT-Xent fell from {history.Loss[0]:F3} to {history.LastLoss:F3} over {config.Steps} steps of {config.BatchSize} images " +
        $"(τ = {config.Temperature}); an encoder that cannot tell images apart scores about log(2B − 1) = {chance:F3}");
    var features = Features.Extract(encoder, data.Test.Images);
    Console.WriteLine($"   features: {features.shape[0]} test images → {features.shape[1]} numbers each, the representation φ(x) that adaptation uses");
    return (encoder, features, history.LastLoss);
}

// The linear probe (CS229 notes, 2023 edition, eq. 14.1): freeze φ, fit only a linear classifier on top. It measures
// how much of the label is linearly readable from the pretrained features, against raw pixels as the baseline.
double LinearProbeExample(VisionEncoder encoder)
{
    Console.WriteLine("\n2. linear probe (frozen encoder, 10 labels per class)");
    var idx = tensor(StratifiedSampler.Indices(data.Train.Labels, 10, course.Seed), device: data.Train.Labels.device);
    var (x, y) = (data.Train.Images.index_select(0, idx), data.Train.Labels.index_select(0, idx));
    double Probe(VisionEncoder e)
    {
        using var probe = LinearProbe.Fit(Features.Extract(e, x), y, data.Train.Classes);
        return probe.Accuracy(Features.Extract(e, data.Test.Images), data.Test.Labels);
    }
    var (ssl, pixels) = (Probe(encoder), Probe(data.Pixels()));
    Console.WriteLine($"   test accuracy with 100 labels in all: SimCLR features {100 * ssl:F1}%, raw pixels {100 * pixels:F1}%, chance {100.0 / data.Train.Classes:F0}%");
    Console.WriteLine(ssl > pixels ? "   the pretrained features make the few labels go further than pixels do"
        : "   at this short pretraining the features do not beat pixels yet; 01_2 and 01_5 train longer");
    return ssl;
}

// Finetuning (CS229 notes, eqs. 14.2–14.4): start from the pretrained weights and update the encoder and a new head
// on the labelled examples. More labels (here 100 per class) and every weight free to move.
void FinetuningExample(VisionEncoder encoder, double probe10)
{
    Console.WriteLine("\n3. finetuning (encoder and head trained, 100 labels per class)");
    var idx = tensor(StratifiedSampler.Indices(data.Train.Labels, 100, course.Seed), device: data.Train.Labels.device);
    var (x, y) = (data.Train.Images.index_select(0, idx), data.Train.Labels.index_select(0, idx));
    using var tuned = Finetune.Fit(encoder, x, y, data.Train.Classes, FinetuneOptions.Default with { Steps = 200 });
    var acc = tuned.Accuracy(data.Test.Images, data.Test.Labels);
    Console.WriteLine($"   test accuracy after finetuning on 1,000 labels: {100 * acc:F1}% (the 10-label probe above: {100 * probe10:F1}%)");
    Console.WriteLine("   the pretrained encoder is unchanged: Finetune.Fit trains a copy");
}
