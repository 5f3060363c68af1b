using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// Rotation prediction, a pretext task (Gidaris, Singh &amp; Komodakis, 2018, "Unsupervised Representation Learning by
/// Predicting Image Rotations"): rotate every image by 0°, 90°, 180° and 270°, and train encoder + linear head to
/// say which rotation was applied (a 4-way classification whose labels the data supplies). Like their RotNet, each
/// step sees all four rotations of every image in the batch (<see cref="Rotation.AllRotations"/>).
/// </summary>
public static class RotationPrediction
{
    /// <summary>Trains <paramref name="encoder"/> in place on rotation prediction; history has "rotation_acc" (training batches).</summary>
    /// <param name="encoder">The encoder, on the images' device.</param>
    /// <param name="images">(N, C, H, W) unlabeled square images in [0, 1].</param>
    /// <param name="config">Steps, learning rate, augmentation; each step takes BatchSize / 4 images, so 4 rotations
    /// make BatchSize forward passes (half of SimCLR's two views of BatchSize).</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History Pretrain(VisionEncoder encoder, Tensor images, SslConfig config, CourseSession course, string? checkpoint = null)
    {
        using var head = nn.Linear(encoder.OutputDim, 4);
        head.to(images.device);
        using var augment = new SimClrAugment(config.AugmentOrDefault, DerivedSeeds.Views(course.Seed)); // crops, flips and jitter keep an image upright, so the label stays 0
        using var sampler = new BatchSampler(images, Math.Max(1, config.BatchSize / 4), DerivedSeeds.Batches(course.Seed));
        encoder.train(); head.train();
        var hooks = new TrainerHooks { Checkpoint = checkpoint is null ? null : new(checkpoint, [encoder, head], [sampler.Generator, augment.GeneratorFor(images.device)]) };
        var history = Trainer.Fit(encoder.parameters().Concat(head.parameters()), step =>
        {
            var (x, _) = sampler.Next();
            var (rotated, labels) = Rotation.AllRotations(augment.Apply(x));
            var logits = head.forward(encoder.forward(rotated));
            var correct = logits.detach().argmax(1).eq(labels).to(ScalarType.Float32).mean();
            return new StepResult(nn.functional.cross_entropy(logits, labels), new Dictionary<string, Tensor> { ["rotation_acc"] = correct });
        }, config.Trainer("rotation"), hooks, config.BatchSize);
        encoder.eval();
        return history;
    }
}
