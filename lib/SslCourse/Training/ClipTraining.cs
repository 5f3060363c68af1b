using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// CLIP-style image–text pretraining (Radford et al., 2021, Fig. 3's pseudocode): each step embeds B images and one
/// random caption of each image's class, and minimises the symmetric InfoNCE loss over the B × B similarities, with
/// a learned temperature. 01_7 writes this step in its cells; this is the same recipe for the shipped weights.
/// </summary>
public static class ClipTraining
{
    /// <summary>Trains both towers of <paramref name="model"/> in place; returns the loss history.</summary>
    /// <param name="model">Image and text towers with their projections, on the images' device.</param>
    /// <param name="images">(N, C, H, W) images in [0, 1].</param>
    /// <param name="labels">(N) int64 class of each image, same device.</param>
    /// <param name="classCaptions">Training captions per class ([class][template]), from <see cref="Captions.ForClasses"/>.</param>
    /// <param name="config">Steps, batch, learning rate, augmentation.</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="name">The progress line's label.</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History Pretrain(ClipModel model, Tensor images, Tensor labels, string[][] classCaptions, SslConfig config, CourseSession course,
        string name = "CLIP", string? checkpoint = null)
    {
        using var bank = new CaptionBank(classCaptions, model.TextEncoder, images.device, DerivedSeeds.Masks(course.Seed));
        using var batches = new BatchSampler(images, config.BatchSize, DerivedSeeds.Batches(course.Seed), labels);
        using var views = new SimClrAugment(config.AugmentOrDefault, DerivedSeeds.Views(course.Seed));
        model.train();
        var hooks = new TrainerHooks { Checkpoint = checkpoint is null ? null : new(checkpoint, [model], [bank.Generator, batches.Generator, views.GeneratorFor(images.device)]) };
        var history = Trainer.Fit(model.parameters(), step =>
        {
            var (x, y) = batches.Next();
            var img = model.EmbedImages(views.Apply(x));                 // (B, E)
            var txt = model.EmbedTokens(bank.Sample(y!));                // (B, E): one random caption of each image's class
            return ClipLoss.Symmetric(img, txt, model.LogitScale);
        }, config.Trainer(name), hooks, config.BatchSize);
        model.eval();
        return history;
    }
}
