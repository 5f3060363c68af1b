using SslCourse.Vision;

namespace SslCourse.Training;

/// <summary>Settings shared by the pretraining recipes (<see cref="SimClr"/>, <see cref="SimSiam"/>, <see cref="Mae"/>, <see cref="Supervised"/>).</summary>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="BatchSize">Images per step (SimCLR makes two views of each, so 2× this many forward passes).</param>
/// <param name="LearningRate">Peak AdamW learning rate.</param>
/// <param name="Temperature">NT-Xent temperature τ (SimCLR only).</param>
/// <param name="Augment">Views' augmentation (null = <see cref="SimClrAugmentConfig.FashionMnist"/>; MAE uses none).</param>
/// <param name="ProjectionDim">Projection-head output size.</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="WarmupSteps">Linear warm-up steps.</param>
/// <param name="LogEvery">Record loss (and feature spread) every this many steps.</param>
/// <param name="DecayOnlyMatrices">Weight decay on kernels and matrices only, not on biases and BatchNorm/LayerNorm
/// parameters (<see cref="TrainerOptions.DecayOnlyMatrices"/>). Part of the record, so checkpoint keys change with it.</param>
public sealed record SslConfig(int Steps, int BatchSize, double LearningRate, double Temperature = 0.2, SimClrAugmentConfig? Augment = null,
    int ProjectionDim = 64, double WeightDecay = 1e-4, int WarmupSteps = 20, int LogEvery = 10, bool DecayOnlyMatrices = true)
{
    /// <summary>The augmentation actually used.</summary>
    public SimClrAugmentConfig AugmentOrDefault => Augment ?? SimClrAugmentConfig.FashionMnist;

    /// <summary>For the ci profile on 2 CPU cores.</summary>
    public static SslConfig Ci { get; } = new(Steps: 400, BatchSize: 256, LearningRate: 3e-3, WarmupSteps: 40);

    /// <summary>For the full profile: all 60k images, about 34 epochs at batch 512 (sized to finish within an hour on 2 CPU cores).</summary>
    public static SslConfig Full { get; } = new(Steps: 4000, BatchSize: 512, LearningRate: 2e-3, WarmupSteps: 200, LogEvery: 50);

    /// <summary>Trainer settings for this config.</summary>
    public Training.TrainerOptions Trainer(string name) =>
        new(Steps, LearningRate, WeightDecay, WarmupSteps, MinLearningRateRatio: 0.05, GradClip: 5.0, LogEvery: LogEvery, Name: name,
            DecayOnlyMatrices: DecayOnlyMatrices);
}
