using SslCourse.Runtime;
using SslCourse.Data;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Models;

/// <summary>Language-model pretraining recipes: minimise the average next-token NLL over random windows (nanoGPT's train.py).</summary>
public static class Pretraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>'s train split with AdamW + cosine, recording
    /// "train_eval" and "val_loss" (means over <paramref name="evalBatches"/> batches) every <paramref name="evalEvery"/>
    /// steps; <paramref name="atEval"/> runs after each evaluation (e.g. to print a sample).
    /// </summary>
    public static History Train(Gpt model, TokenBatches data, int steps, int batch, double learningRate,
        int evalEvery, int evalBatches = 10, Action<int, History>? atEval = null, string name = "pretrain")
    {
        var block = model.Config.BlockSize;
        model.train();
        Denormals.FlushToZero(); // sharp attention produces subnormal floats, 30× slower on x86; Fit steps on this thread
        return Trainer.Fit(model.parameters(), _ =>
        {
            var (x, y) = data.Sample(true, batch, block);
            return model.Loss(x, y);
        }, new TrainerOptions(steps, learningRate, WeightDecay: 0.1, WarmupSteps: Math.Max(1, steps / 20), LogEvery: Math.Max(1, evalEvery / 4),
            Name: name, Beta2: 0.99, ItemUnit: "tokens"), itemsPerStep: (long)batch * block, evaluate: (step, h) =>
        {
            var (tr, va) = data.EstimateLoss(model.Loss, model, evalBatches, batch, block);
            h.Add("train_eval", step, tr);
            h.Add("val_loss", step, va);
            atEval?.Invoke(step, h);
        }, evalEvery: evalEvery);
    }
}
