using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// SimCLR pretraining (Chen et al., 2020): for each batch make two augmented views, encode both with the shared
/// encoder f, project with the head g, and minimise NT-Xent so that views of the same image attract and views of
/// different images repel. The head is thrown away afterwards; the encoder is what adaptation uses.
/// </summary>
public static class SimClr
{
    /// <summary>Trains <paramref name="encoder"/> in place and returns the loss history (plus "feature_std" of the projections).</summary>
    /// <param name="encoder">The encoder f (moved to nothing: it must already be on the images' device).</param>
    /// <param name="images">(N, C, H, W) unlabeled images in [0, 1], on the training device.</param>
    /// <param name="config">Steps, batch, learning rate, τ, augmentation.</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History Pretrain(VisionEncoder encoder, Tensor images, SslConfig config, CourseSession course, string? checkpoint = null)
    {
        using var head = new ProjectionHead(encoder.OutputDim, 2 * config.ProjectionDim, config.ProjectionDim);
        head.to(images.device);
        using var augment = new SimClrAugment(config.AugmentOrDefault, DerivedSeeds.Views(course.Seed));
        using var sampler = new BatchSampler(images, config.BatchSize, DerivedSeeds.Batches(course.Seed));
        encoder.train(); head.train();
        var hooks = new TrainerHooks { Checkpoint = checkpoint is null ? null : new(checkpoint, [encoder, head], [sampler.Generator, augment.GeneratorFor(images.device)]) };
        var history = Trainer.Fit(encoder.parameters().Concat(head.parameters()), step =>
        {
            var (x, _) = sampler.Next();
            var (v1, v2) = augment.Views(x);
            var z = head.forward(encoder.forward(cat([v1, v2], 0)));          // (2B, P): one pass keeps BatchNorm statistics shared
            var (z1, z2) = (z[..(int)x.shape[0]], z[(int)x.shape[0]..]);
            return new StepResult(NtXent.Loss(z1, z2, config.Temperature), new Dictionary<string, Tensor> { ["feature_std"] = FeatureSpread.Of(z1) });
        }, config.Trainer("SimCLR"), hooks, config.BatchSize);
        encoder.eval();
        return history;
    }
}
