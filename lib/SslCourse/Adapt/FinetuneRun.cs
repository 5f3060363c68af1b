using SslCourse.Runtime;
using SslCourse.Training;
using TorchSharp;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>Settings of one finetuning run with a validation split and early stopping.</summary>
/// <param name="Steps">Most optimiser steps.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Batch">Labelled passages per step.</param>
/// <param name="EvalEvery">Score the validation split every this many steps; the weights with the best validation accuracy are kept.</param>
/// <param name="Patience">Stop after this many evaluations without improvement.</param>
/// <param name="Pooling">Which hidden states the head reads.</param>
/// <param name="Seed">Seeds the head's initialisation and the batch draws.</param>
public sealed record FinetuneRun(int Steps, double LearningRate, int Batch = 16, int EvalEvery = 25, int Patience = 3,
    Pooling Pooling = Pooling.LastToken, int Seed = 0);

/// <summary>What a finetuning run measured.</summary>
/// <param name="TestAccuracy">Accuracy on the test split with the kept (best-validation) weights.</param>
/// <param name="ValAccuracy">The best validation accuracy.</param>
/// <param name="BestStep">The step whose weights were kept.</param>
/// <param name="StepsRun">Steps actually run (fewer than asked when stopped early).</param>
/// <param name="TrainingLoss">The mean training loss over each span of <see cref="FinetuneRun.EvalEvery"/> steps, in order
/// (the last span may be shorter), so a loop written elsewhere can be compared with this one step for step.</param>
public sealed record FinetuneResult(double TestAccuracy, double ValAccuracy, int BestStep, int StepsRun, IReadOnlyList<double> TrainingLoss);

/// <summary>Finetuning with a validation split: evaluate periodically, keep the best weights, stop when they stop improving.</summary>
public static class FinetuneWithValidation
{
    /// <summary>Adapts a copy of <paramref name="pretrained"/> in <paramref name="mode"/> on (x, y), selects by (valX, valY), scores (testX, testY).</summary>
    public static FinetuneResult Run(AdaptMode mode, Gpt pretrained, (Tensor X, Tensor Y) train, (Tensor X, Tensor Y) val,
        (Tensor X, Tensor Y) test, FinetuneRun run)
    {
        torch.manual_seed(run.Seed);
        var device = train.X.device;
        var body = new Gpt(pretrained.Config).to(device);   // disposed with the classifier
        if (mode != AdaptMode.FromScratch) body.load_state_dict(pretrained.state_dict());
        using var model = new GptClassifier(body, 2, run.Pooling).to(device);
        if (mode == AdaptMode.LinearHead) model.FreezeBody();
        using var gen = new Generator((ulong)run.Seed, device);
        var n = train.X.shape[0];
        var (bestAcc, bestStep, stale, stepsRun) = (-1.0, 0, 0, 0);
        Dictionary<string, Tensor>? best = null;
        var steps = run.Steps;
        model.train();
        var options = new TrainerOptions(steps, run.LearningRate, WeightDecay: 0.01, WarmupSteps: steps / 10,
            LogEvery: run.EvalEvery, Name: $"{mode} {run.Pooling} n={n}", FlushDenormals: true,
            DecayOnlyMatrices: false); // as 02_6's table was measured; the split moved its rows by up to 4 points
        var history = Trainer.Fit(model.parameters(), _ =>
            {
                var ix = randint(0, n, [Math.Min(run.Batch, n)], generator: gen, device: device);
                return nn.functional.cross_entropy(model.forward(train.X[ix]), train.Y[ix]);
            }, options, evaluate: (step, _) =>
            {
                stepsRun = step;
                var acc = Accuracy(model, val.X, val.Y);
                model.train();
                if (acc > bestAcc)
                {
                    (bestAcc, bestStep, stale) = (acc, step, 0);
                    if (best is not null) foreach (var t in best.Values) t.Dispose();
                    best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
                else stale++;
            }, evalEvery: run.EvalEvery, stopWhen: () => stale >= run.Patience);
        if (best is not null)
        {
            using (no_grad()) foreach (var (name, t) in model.state_dict()) t.copy_(best[name]);
            foreach (var t in best.Values) t.Dispose();
        }
        return new FinetuneResult(Accuracy(model, test.X, test.Y), bestAcc, bestStep, stepsRun, history.Loss.ToList());
    }

    /// <summary>Classification accuracy of <paramref name="model"/> on (x, y), in eval mode, 256 passages at a time, one host read.</summary>
    public static double Accuracy(GptClassifier model, Tensor x, Tensor y)
    {
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var correct = zeros(1, dtype: ScalarType.Int64, device: x.device);
        Chunked.ForEach(x.shape[0], 256, (i, len) =>
            correct.add_(model.forward(x.narrow(0, i, len)).argmax(-1).eq(y.narrow(0, i, len)).sum()));
        return (double)correct.item<long>() / x.shape[0];
    }
}
