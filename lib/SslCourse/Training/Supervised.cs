using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// Supervised pretraining, the classical baseline: train encoder + linear classifier with cross-entropy on labelled
/// images, then drop the last (classifier) layer and use the penultimate features as the representation.
/// </summary>
public static class Supervised
{
    /// <summary>Trains <paramref name="encoder"/> (plus a throw-away linear classifier) in place; history has "train_acc" (augmented training batches).</summary>
    /// <param name="encoder">The encoder, on the images' device.</param>
    /// <param name="images">(N, C, H, W) images in [0, 1].</param>
    /// <param name="labels">(N) int64 labels on the same device.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="config">Steps, batch, learning rate, augmentation.</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History Pretrain(VisionEncoder encoder, Tensor images, Tensor labels, int classes, SslConfig config, CourseSession course, string? checkpoint = null)
    {
        using var classifier = nn.Linear(encoder.OutputDim, classes);
        classifier.to(images.device);
        using var augment = new SimClrAugment(config.AugmentOrDefault, DerivedSeeds.Views(course.Seed));
        using var sampler = new BatchSampler(images, config.BatchSize, DerivedSeeds.Batches(course.Seed), labels);
        encoder.train();
        var hooks = new TrainerHooks { Checkpoint = checkpoint is null ? null : new(checkpoint, [encoder, classifier], [sampler.Generator, augment.GeneratorFor(images.device)]) };
        var history = Trainer.Fit(encoder.parameters().Concat(classifier.parameters()), step =>
        {
            var (x, y) = sampler.Next();
            var logits = classifier.forward(encoder.forward(augment.Apply(x)));
            var correct = logits.detach().argmax(1).eq(y!).to(ScalarType.Float32).mean();
            return new StepResult(nn.functional.cross_entropy(logits, y!), new Dictionary<string, Tensor> { ["train_acc"] = correct });
        }, config.Trainer("supervised"), hooks, config.BatchSize);
        encoder.eval();
        return history;
    }
}
