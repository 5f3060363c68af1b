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
    public static History Pretrain(MaskedAutoencoder model, Tensor images, SslConfig config, CourseSession course)
    {
        using var sampler = new BatchSampler(images, config.BatchSize, course.Seed + 2);
        using var masks = new Generator((ulong)(course.Seed + 3), images.device);
        using var flips = new Generator((ulong)(course.Seed + 4), images.device);
        model.train();
        var history = Trainer.Fit(model.parameters(), step =>
        {
            var (x, _) = sampler.Next();
            return model.Loss(Augment.HorizontalFlip(x, flips), masks);
        }, config.Trainer("MAE"), config.BatchSize);
        model.eval();
        return history;
    }
}
