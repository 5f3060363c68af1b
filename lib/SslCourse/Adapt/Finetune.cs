using SslCourse.Data;
using SslCourse.Training;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>Settings for <see cref="Finetune.Fit"/>.</summary>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="BatchSize">Labelled images per step.</param>
/// <param name="LearningRate">Peak AdamW rate for all weights (small, so a few labels do not wipe out the pretrained ones).</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="Augment">Augment the labelled images (flips and crops help with few labels).</param>
/// <param name="Seed">Seed of batches and augmentation.</param>
/// <param name="AugmentConfig">The data's augmentation (e.g. <see cref="VisionData.Augment"/>); null = chosen from the images'
/// channels (<see cref="SimClrAugmentConfig.Cifar10"/> for 3, <see cref="SimClrAugmentConfig.FashionMnist"/> otherwise).
/// Its photometric jitter is halved: finetuning wants label-preserving views, not a hard pretext task.</param>
public sealed record FinetuneOptions(int Steps = 150, int BatchSize = 128, double LearningRate = 1e-3,
    double WeightDecay = 1e-4, bool Augment = true, int Seed = 0, SimClrAugmentConfig? AugmentConfig = null)
{
    /// <summary>Defaults for the ci profile.</summary>
    public static FinetuneOptions Default { get; } = new();

    /// <summary>The augmentation finetuning applies to images with <paramref name="channels"/> channels.</summary>
    public SimClrAugmentConfig AugmentConfigFor(long channels)
    {
        var v = AugmentConfig ?? (channels == 3 ? SimClrAugmentConfig.Cifar10 : SimClrAugmentConfig.FashionMnist);
        return v with { Brightness = v.Brightness / 2, Contrast = v.Contrast / 2, Saturation = v.Saturation / 2 };
    }
}

/// <summary>
/// Finetuning (CS229 notes, §14.1): start from the pretrained encoder, add a linear head, and train all weights on
/// the labelled downstream data. The pretrained encoder is cloned, never modified.
/// </summary>
public sealed class Finetune : IDisposable
{
    private readonly VisionEncoder _encoder;
    private readonly nn.Module<Tensor, Tensor> _head;

    private Finetune(VisionEncoder encoder, nn.Module<Tensor, Tensor> head, History history)
    {
        _encoder = encoder;
        _head = head;
        History = history;
    }

    /// <summary>The finetuning loss curve.</summary>
    public History History { get; }

    /// <summary>Finetunes a copy of <paramref name="pretrained"/> with a new linear head on (images, labels).</summary>
    /// <param name="pretrained">The pretrained encoder (left unchanged).</param>
    /// <param name="images">(N, C, H, W) labelled images.</param>
    /// <param name="labels">(N) int64 labels.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="options">Steps, batch, rates.</param>
    public static Finetune Fit(VisionEncoder pretrained, Tensor images, Tensor labels, int classes, FinetuneOptions? options = null)
    {
        var o = options ?? FinetuneOptions.Default;
        var device = pretrained.Device;
        var encoder = pretrained.Clone();
        var head = nn.Linear(encoder.OutputDim, classes);
        head.to(device);
        var x = images.to(device);
        var y = labels.to(device);
        using var sampler = new BatchSampler(x, o.BatchSize, o.Seed, y);
        using var augment = o.Augment ? new SimClrAugment(o.AugmentConfigFor(images.shape[1]), o.Seed + 1) : null;
        encoder.train();
        var history = Trainer.Fit(encoder.parameters().Concat(head.parameters()), step =>
        {
            var (bx, by) = sampler.Next();
            return nn.functional.cross_entropy(head.forward(encoder.forward(augment?.Apply(bx) ?? bx)), by!);
        }, new TrainerOptions(o.Steps, o.LearningRate, o.WeightDecay, WarmupSteps: Math.Min(10, o.Steps / 10), LogEvery: Math.Max(1, o.Steps / 10), Name: "finetune"), o.BatchSize);
        encoder.eval();
        return new Finetune(encoder, head, history);
    }

    /// <summary>Class predictions (N) for images.</summary>
    public Tensor Predict(Tensor images)
    {
        using var scope = NewDisposeScope();
        return PredictOnDevice(images).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy on labelled images (compared on the model's device, one host read).</summary>
    public double Accuracy(Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var predicted = PredictOnDevice(images);
        return predicted.eq(labels.to(predicted.device)).to(ScalarType.Float64).mean().item<double>();
    }

    private Tensor PredictOnDevice(Tensor images)
    {
        using var noGrad = no_grad(); // the head too; Features.Extract covers only the encoder
        return _head.forward(Features.Extract(_encoder, images, toCpu: false)).argmax(1);
    }

    /// <summary>Frees the copy and the head.</summary>
    public void Dispose()
    {
        _encoder.Dispose();
        _head.Dispose();
    }
}
