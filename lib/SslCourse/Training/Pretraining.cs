using SslCourse.Runtime;
using SslCourse.Data;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>Language-model pretraining recipes: minimise the average next-token NLL over random windows (nanoGPT's train.py).</summary>
public static class Pretraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>'s train split as <paramref name="config"/> says,
    /// recording "train_eval" and "val_loss" (means over <see cref="PretrainConfig.EvalBatches"/> random batches)
    /// every <see cref="PretrainConfig.EvalEvery"/> steps and at the end; <paramref name="atEval"/> runs after each
    /// evaluation (e.g. to print a sample). Calling it again continues training the same weights with a fresh optimiser.
    /// </summary>
    public static History Train(Gpt model, TokenBatches data, PretrainConfig config, Action<int, History>? atEval = null, string name = "pretrain")
    {
        var block = model.Config.BlockSize;
        model.train();
        return Trainer.Fit(model.parameters(), _ =>
        {
            var (x, y) = data.Sample(true, config.Batch, block);
            return model.Loss(x, y);
        }, config.ToTrainerOptions(name), itemsPerStep: (long)config.Batch * block, evaluate: (step, h) =>
        {
            var (tr, va) = data.EstimateLoss(model.Loss, model, config.EvalBatches, config.Batch, block);
            h.Add("train_eval", step, tr);
            h.Add("val_loss", step, va);
            atEval?.Invoke(step, h);
        }, evalEvery: config.EvalEvery);
    }

    /// <summary>
    /// Short form for small demos: <paramref name="steps"/> steps at <paramref name="learningRate"/> decaying to a tenth,
    /// warm-up over the first 5%, β2 0.99, weight decay 0.1 on matrices.
    /// </summary>
    public static History Train(Gpt model, TokenBatches data, int steps, int batch, double learningRate,
        int evalEvery, int evalBatches = 10, Action<int, History>? atEval = null, string name = "pretrain") =>
        Train(model, data, new PretrainConfig(steps, batch, learningRate, learningRate / 10, Math.Max(1, steps / 20),
            EvalEvery: evalEvery, EvalBatches: evalBatches, LogEvery: Math.Max(1, evalEvery / 4)), atEval, name);
}
