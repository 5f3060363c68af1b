using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>Masked-autoencoder pretraining (He et al., 2022): minimise the masked-patch reconstruction error.</summary>
public static class Mae
{
    /// <summary>Trains <paramref name="model"/> in place and returns the loss history.</summary>
    /// <param name="model">The autoencoder, on the images' device.</param>
    /// <param name="images">(N, C, H, W) unlabeled images in [0, 1].</param>
    /// <param name="config">Steps, batch, learning rate (augmentation: flips only; masking is the pretext task).</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History Pretrain(MaskedAutoencoder model, Tensor images, SslConfig config, CourseSession course, string? checkpoint = null)
    {
        using var sampler = new BatchSampler(images, config.BatchSize, DerivedSeeds.Batches(course.Seed));
        using var masks = new Generator((ulong)DerivedSeeds.Masks(course.Seed), images.device);
        using var flips = new Generator((ulong)DerivedSeeds.Flips(course.Seed), images.device);
        model.train();
        var hooks = new TrainerHooks { Checkpoint = checkpoint is null ? null : new(checkpoint, [model], [sampler.Generator, masks, flips]) };
        var history = Trainer.Fit(model.parameters(), step =>
        {
            var (x, _) = sampler.Next();
            return model.Loss(Augment.HorizontalFlip(x, flips), masks);
        }, config.Trainer("MAE"), hooks, config.BatchSize);
        model.eval();
        return history;
    }
}
