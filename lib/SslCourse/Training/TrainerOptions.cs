namespace SslCourse.Training;

/// <summary>Optimisation settings for <see cref="Trainer"/> (AdamW with warm-up and cosine decay, as in nanoGPT).</summary>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay (Loshchilov &amp; Hutter, 2019).</param>
/// <param name="WarmupSteps">Linear warm-up steps.</param>
/// <param name="MinLearningRateRatio">Cosine decay floor as a fraction of the peak (1 = constant rate).</param>
/// <param name="GradClip">Global gradient-norm clip; null for none.</param>
/// <param name="LogEvery">Record the mean loss every this many steps (one device sync per record).</param>
/// <param name="Name">Label for the progress line.</param>
/// <param name="Beta2">AdamW's second-moment decay.</param>
/// <param name="ItemUnit">What the throughput counts ("samples", or "tokens" for language models).</param>
/// <param name="DecayOnlyMatrices">Apply <paramref name="WeightDecay"/> only to parameters with two or more dimensions
/// (weight matrices, convolution kernels and embeddings), not to biases and LayerNorm/BatchNorm gains — nanoGPT's and
/// minGPT's two AdamW parameter groups (the default); false decays every parameter.</param>
/// <param name="FlushDenormals">Train with subnormal floats flushed to zero on every libtorch CPU thread
/// (<see cref="Runtime.Denormals.Run"/>): sharp attention makes them, and they made a small GPT's CPU step 30× slower.
/// The closures then run on the course's flush-to-zero thread.</param>
/// <param name="CpuThreads">libtorch CPU threads for the steps (the caller's count is restored afterwards); null keeps
/// the caller's.</param>
public sealed record TrainerOptions(
    int Steps,
    double LearningRate = 1e-3,
    double WeightDecay = 0.0,
    int WarmupSteps = 0,
    double MinLearningRateRatio = 0.1,
    double? GradClip = 1.0,
    int LogEvery = 10,
    string Name = "train",
    double Beta2 = 0.999,
    string ItemUnit = "samples",
    bool DecayOnlyMatrices = true,
    bool FlushDenormals = false,
    int? CpuThreads = null)
{
    /// <summary>The learning rate at <paramref name="step"/> (0-based): linear warm-up, then cosine to the floor.</summary>
    public double LearningRateAt(int step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        var span = Math.Max(1, Steps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        var floor = LearningRate * MinLearningRateRatio;
        return floor + 0.5 * (LearningRate - floor) * (1 + Math.Cos(Math.PI * progress));
    }
}
