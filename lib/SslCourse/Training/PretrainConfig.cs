namespace SslCourse.Training;

/// <summary>
/// How a GPT is pretrained, named after nanoGPT's train.py settings: AdamW (β1 0.9), linear warm-up to
/// <paramref name="LearningRate"/>, cosine decay to <paramref name="MinLearningRate"/> at the last step, gradient
/// clipping, weight decay on weight matrices and embeddings only, and loss estimates on random batches.
/// </summary>
/// <param name="Steps">Optimiser steps (nanoGPT's max_iters and lr_decay_iters).</param>
/// <param name="Batch">Windows per step (batch_size).</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="MinLearningRate">Learning rate at the end of the cosine (min_lr).</param>
/// <param name="WarmupSteps">Linear warm-up steps (warmup_iters).</param>
/// <param name="Beta2">AdamW's second-moment decay.</param>
/// <param name="WeightDecay">Decoupled weight decay on parameters of dim ≥ 2.</param>
/// <param name="GradClip">Global gradient-norm clip.</param>
/// <param name="EvalEvery">Estimate both splits' loss every this many steps (eval_interval).</param>
/// <param name="EvalBatches">Random batches per estimate (eval_iters).</param>
/// <param name="LogEvery">Record the mean training loss every this many steps.</param>
public sealed record PretrainConfig(int Steps, int Batch, double LearningRate, double MinLearningRate, int WarmupSteps,
    double Beta2 = 0.99, double WeightDecay = 0.1, double GradClip = 1.0, int EvalEvery = 250, int EvalBatches = 20, int LogEvery = 50)
{
    /// <summary>nanoGPT's README CPU run of shakespeare_char: batch 12, 2,000 steps, lr 1e-3 → 1e-4, warm-up 100, eval_iters 20.</summary>
    public static PretrainConfig NanoGptCpu => new(Steps: 2000, Batch: 12, LearningRate: 1e-3, MinLearningRate: 1e-4, WarmupSteps: 100, EvalEvery: 250, EvalBatches: 20);

    /// <summary>nanoGPT's config/train_shakespeare_char.py (GPU): batch 64, 5,000 steps, eval_iters 200.</summary>
    public static PretrainConfig NanoGptGpu => new(Steps: 5000, Batch: 64, LearningRate: 1e-3, MinLearningRate: 1e-4, WarmupSteps: 100, EvalEvery: 250, EvalBatches: 200);

    /// <summary>The equivalent <see cref="TrainerOptions"/> (two AdamW groups: decay only for dim ≥ 2).</summary>
    public TrainerOptions ToTrainerOptions(string name = "pretrain") => new(Steps, LearningRate, WeightDecay, WarmupSteps,
        MinLearningRateRatio: MinLearningRate / LearningRate, GradClip: GradClip, LogEvery: LogEvery, Name: name, Beta2: Beta2,
        ItemUnit: "tokens", DecayOnlyMatrices: true, FlushDenormals: true);
}
