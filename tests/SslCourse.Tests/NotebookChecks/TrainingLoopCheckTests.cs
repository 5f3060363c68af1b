using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Runtime;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_4's loop check (cell 024-09): the training loop written in cells gives the library trainer's losses from the same
/// seed (within 1e-5) and the same learning rates (within 1e-12). Plausible broken loops fail it.
/// </summary>
public sealed class TrainingLoopCheckTests
{
    public enum Bug { None, NoZeroGrad, WarmupOffByOne, NoClip }

    private static readonly GptConfig Config = new(13, BlockSize: 16, Layers: 1, Heads: 2, Embed: 16, Bias: false);

    private static int[] Ids() { var rng = new Random(2); return Enumerable.Range(0, 4000).Select(i => (i * 7 + rng.Next(3)) % 13).ToArray(); }

    private static double LearningRateAt(int s, PretrainConfig c, Bug bug) => s < c.WarmupSteps
        ? c.LearningRate * (bug == Bug.WarmupOffByOne ? s : s + 1) / c.WarmupSteps
        : c.MinLearningRate + 0.5 * (c.LearningRate - c.MinLearningRate) * (1 + Math.Cos(Math.PI * (s - c.WarmupSteps) / (c.Steps - c.WarmupSteps)));

    private static bool Check(Bug bug)
    {
        var run = new PretrainConfig(Steps: 12, Batch: 4, LearningRate: 3e-2, MinLearningRate: 3e-3, WarmupSteps: 4, GradClip: 0.5, LogEvery: 1, EvalEvery: 12, EvalBatches: 1);
        manual_seed(0);
        using var mine = new Gpt(Config);
        using var batches = new TokenBatches(Ids(), CPU, seed: 0);
        var decay = mine.parameters().Where(p => p.dim() >= 2).ToList();
        var noDecay = mine.parameters().Where(p => p.dim() < 2).ToList();
        using var optimizer = optim.AdamW(new[] {
            new TorchSharp.Modules.AdamW.ParamGroup(decay, run.LearningRate, beta2: run.Beta2, weight_decay: run.WeightDecay),
            new TorchSharp.Modules.AdamW.ParamGroup(noDecay, run.LearningRate, beta2: run.Beta2, weight_decay: 0.0) }, run.LearningRate, beta2: run.Beta2);
        var losses = Denormals.Run(() =>
        {
            var list = new List<double>();
            mine.train();
            for (int s = 0; s < run.Steps; s++)
            {
                using var scope = NewDisposeScope();
                foreach (var g in optimizer.ParamGroups) g.LearningRate = LearningRateAt(s, run, bug);
                var (x, y) = batches.Sample(true, run.Batch, Config.BlockSize);
                var loss = nn.functional.cross_entropy(mine.forward(x).reshape(-1, Config.VocabSize), y.reshape(-1));
                if (bug != Bug.NoZeroGrad) optimizer.zero_grad();
                loss.backward();
                if (bug != Bug.NoClip) nn.utils.clip_grad_norm_(mine.parameters(), run.GradClip);
                optimizer.step();
                list.Add(loss.item<float>());
            }
            return list;
        });
        manual_seed(0);
        using var lib = new Gpt(Config);
        using var libBatches = new TokenBatches(Ids(), CPU, seed: 0);
        var history = Pretraining.Train(lib, libBatches, run, name: "test");
        var maxDiff = losses.Zip(history.Loss, (a, b) => Math.Abs(a - b)).Max();
        var lrDiff = Enumerable.Range(0, run.Steps).Max(s => Math.Abs(LearningRateAt(s, run, bug) - run.ToTrainerOptions().LearningRateAt(s)));
        return history.Loss.Count == losses.Count && maxDiff <= 1e-5 && lrDiff <= 1e-12;
    }

    [Fact]
    public void The_loop_written_in_cells_passes() => Assert.True(Check(Bug.None));

    [Theory]
    [InlineData(Bug.NoZeroGrad)]
    [InlineData(Bug.WarmupOffByOne)]
    [InlineData(Bug.NoClip)]
    public void A_broken_loop_fails(Bug bug) => Assert.False(Check(bug));
}
