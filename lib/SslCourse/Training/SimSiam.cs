using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// SimSiam pretraining (Chen &amp; He, 2021): two views, a shared encoder + projection head, a predictor on top, and
/// the symmetric negative-cosine loss with stop-gradient on the target branch. No negatives, no momentum encoder;
/// the predictor + stop-gradient keep it from collapsing. <see cref="PretrainNaive"/> removes both to show collapse.
/// </summary>
public static class SimSiam
{
    /// <summary>Trains <paramref name="encoder"/> in place; the history has "feature_std" (collapse monitor).</summary>
    /// <param name="encoder">The encoder, on the images' device.</param>
    /// <param name="images">(N, C, H, W) unlabeled images in [0, 1].</param>
    /// <param name="config">Steps, batch, learning rate, augmentation.</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History Pretrain(VisionEncoder encoder, Tensor images, SslConfig config, CourseSession course, string? checkpoint = null) =>
        Run(encoder, images, config, course, naive: false, predict: true, stopGradient: true, checkpoint);

    /// <summary>
    /// One arm of SimSiam's ablation (Chen &amp; He, 2021, §4.1–4.2, Fig. 2 and Table 1): the symmetric D = −cos loss with
    /// the predictor and the stop-gradient each switched on or off. Both on is <see cref="Pretrain"/>; both off is
    /// the naive pull up to an affine map (‖z̄₁ − z̄₂‖² = 2 − 2cos).
    /// </summary>
    /// <param name="encoder">The encoder, on the images' device.</param>
    /// <param name="images">(N, C, H, W) unlabeled images in [0, 1].</param>
    /// <param name="config">Steps, batch, learning rate, augmentation.</param>
    /// <param name="course">The session (seed).</param>
    /// <param name="predictor">Apply the predictor q to each branch before comparing.</param>
    /// <param name="stopGradient">Treat the target branch as a constant.</param>
    /// <param name="checkpoint">A folder to save the run in every few minutes and resume from; null for none.</param>
    public static History PretrainArm(VisionEncoder encoder, Tensor images, SslConfig config, CourseSession course, bool predictor, bool stopGradient, string? checkpoint = null) =>
        Run(encoder, images, config, course, naive: false, predict: predictor, stopGradient: stopGradient, checkpoint);

    /// <summary>The naive Siamese baseline: same views and projection, but <see cref="NaivePull"/> (no predictor, no stop-gradient).</summary>
    /// <param name="encoder">The encoder, on the images' device.</param>
    /// <param name="images">(N, C, H, W) unlabeled images in [0, 1].</param>
    /// <param name="config">Steps, batch, learning rate, augmentation.</param>
    /// <param name="course">The session (seed).</param>
    public static History PretrainNaive(VisionEncoder encoder, Tensor images, SslConfig config, CourseSession course) =>
        Run(encoder, images, config, course, naive: true, predict: false, stopGradient: false);

    /// <summary>SimSiam's D(p, z) = −cos(p, z), batch mean, with or without treating z as a constant.</summary>
    public static Tensor D(Tensor p, Tensor z, bool stopGradient = true) =>
        stopGradient ? NegativeCosine.Loss(p, z) : nn.functional.cosine_similarity(p, z, dim: 1).mean().neg();

    private static History Run(VisionEncoder encoder, Tensor images, SslConfig config, CourseSession course, bool naive, bool predict, bool stopGradient, string? checkpoint = null)
    {
        using var head = new ProjectionHead(encoder.OutputDim, 2 * config.ProjectionDim, config.ProjectionDim);
        using var predictor = new Predictor(config.ProjectionDim, config.ProjectionDim / 2);
        head.to(images.device);
        predictor.to(images.device);
        using var augment = new SimClrAugment(config.AugmentOrDefault, DerivedSeeds.Views(course.Seed));
        using var sampler = new BatchSampler(images, config.BatchSize, DerivedSeeds.Batches(course.Seed));
        encoder.train(); head.train(); predictor.train();
        var parameters = encoder.parameters().Concat(head.parameters());
        if (predict) parameters = parameters.Concat(predictor.parameters());
        var hooks = new TrainerHooks { Checkpoint = checkpoint is null ? null : new(checkpoint, [encoder, head, predictor], [sampler.Generator, augment.GeneratorFor(images.device)]) };
        var history = Trainer.Fit(parameters, step =>
        {
            var (x, _) = sampler.Next();
            var (v1, v2) = augment.Views(x);
            int b = (int)x.shape[0];
            var z = head.forward(encoder.forward(cat([v1, v2], 0)));           // (2B, P)
            var (z1, z2) = (z[..b], z[b..]);
            var metrics = new Dictionary<string, Tensor> { ["feature_std"] = FeatureSpread.Of(z1) };
            if (naive) return new StepResult(NaivePull.Loss(z1, z2), metrics);
            var p = predict ? predictor.forward(z) : z;
            return new StepResult(0.5 * D(p[..b], z2, stopGradient) + 0.5 * D(p[b..], z1, stopGradient), metrics);
        }, config.Trainer(naive ? "naive pull" : $"SimSiam{(predict ? "" : " −predictor")}{(stopGradient ? "" : " −stop-grad")}"), hooks, config.BatchSize);
        encoder.eval();
        return history;
    }
}
