using SslCourse.Runtime;
using SslCourse.Training;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Checkpoints;

/// <summary>
/// Every chapter-01 encoder the course ships, with exactly the settings chapter 01's notebooks use at the
/// <c>full</c> profile on Fashion-MNIST (60,000 training images): SimCLR, SimSiam and its four ablation arms, MAE,
/// rotation prediction, CLIP's image tower, the supervised baseline, and the untrained references (a random encoder and
/// raw pixels, whose manifests hold only their figures).
/// </summary>
public static class PretrainedCatalog
{
    /// <summary>The SimSiam ablation arms of 01_3: (name, predictor, stop-gradient).</summary>
    public static IReadOnlyList<(string Name, bool Predictor, bool StopGradient)> SimSiamArms { get; } =
        [("both", true, true), ("no-stopgrad", true, false), ("no-predictor", false, true), ("neither", false, false)];

    /// <summary>The specs for <paramref name="data"/> (its channels and augmentation), in training order.</summary>
    public static IReadOnlyList<PretrainedSpec> For(VisionData data)
    {
        var config = SslConfig.Full with { Augment = data.Augment };
        var conv = data.EncoderConfigFor(ConvEncoderConfig.Small);
        var mae = data.MaeConfigFor(MaeConfig.Small);
        var ablation = config with { Steps = 1000, BatchSize = 256, WarmupSteps = 100 };       // 01_3's full ablation
        var clip = config with { Steps = 3000, BatchSize = 256 };                             // 01_7's full run
        nn.Module Conv(Device d) => new ConvEncoder(conv).to(d);
        VisionEncoder Self(nn.Module m) => (VisionEncoder)m;
        var specs = new List<PretrainedSpec>
        {
            new("simclr", "SimCLR", "SimClr.Pretrain", config, conv, Conv, Self,
                (m, v, c, cp) => SimClr.Pretrain(Self(m), v.Train.Images, config, c, cp)),
            new("supervised", "supervised", "Supervised.Pretrain", config, conv, Conv, Self,
                (m, v, c, cp) => Supervised.Pretrain(Self(m), v.Train.Images, v.Train.Labels, v.Train.Classes, config, c, cp)),
            new("rotation", "rotation", "RotationPrediction.Pretrain", config, conv, Conv, Self,
                (m, v, c, cp) => RotationPrediction.Pretrain(Self(m), v.Train.Images, config, c, cp)),
            new("simsiam", "SimSiam", "SimSiam.Pretrain", config, conv, Conv, Self,
                (m, v, c, cp) => SimSiam.Pretrain(Self(m), v.Train.Images, config, c, cp)),
            new("mae", "MAE", "Mae.Pretrain", config with { LearningRate = 2e-3 }, mae, d => new MaskedAutoencoder(mae).to(d), m => ((MaskedAutoencoder)m).Encoder,
                (m, v, c, cp) => Mae.Pretrain((MaskedAutoencoder)m, v.Train.Images, config with { LearningRate = 2e-3 }, c, cp)),
            new("clip", "CLIP image encoder", "ClipTraining.Pretrain", clip, conv,
                d => new ClipModel(new ConvEncoder(conv), new TextEncoder(dim: 64, depth: 2, heads: 4, maxLength: 64), embedDim: 64).to(d),
                m => ((ClipModel)m).ImageEncoder,
                (m, v, c, cp) => ClipTraining.Pretrain((ClipModel)m, v.Train.Images, v.Train.Labels,
                    Captions.ForClasses(v.Train.ClassNames, v.Name == "fashion-mnist" ? Captions.FashionMnistDescriptions : null), clip, c, "CLIP", cp)),
        };
        foreach (var (arm, predictor, stopGradient) in SimSiamArms)
            specs.Add(new($"simsiam-{arm}", $"SimSiam arm: {arm}", $"SimSiam.PretrainArm(predictor: {predictor}, stopGradient: {stopGradient})", ablation, conv, Conv, Self,
                (m, v, c, cp) => SimSiam.PretrainArm(Self(m), v.Train.Images, ablation, c, predictor, stopGradient, cp)));
        specs.Add(new("random", "random encoder", "none (manual_seed(seed + 100), never trained)", null, conv, Conv, Self, null));
        var shape = new { data.Shape.C, data.Shape.H, data.Shape.W };
        specs.Add(new("raw-pixels", "raw pixels", "none (PixelEncoder: the flattened image)", null, shape, d => data.Pixels().to(d), Self, null));
        return specs;
    }

    /// <summary>The spec called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such spec; the message lists the names.</exception>
    public static PretrainedSpec Find(VisionData data, string name) =>
        For(data).FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"no shipped encoder called '{name}'; the names are: {string.Join(", ", For(data).Select(s => s.Name))}", nameof(name));
}
