using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Runtime;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_7's checks: the written-out corruption (cell 027-06) equals <see cref="BertMasking.Apply"/> and its fractions are
/// BERT's 15% and 80/10/10 within 4 standard errors; the written-out masked-LM step (cell 027-06b) equals
/// <see cref="MaskedLmTraining"/>. Plausible broken variants fail them.
/// </summary>
public sealed class MaskingCheckTests
{
    public enum Bug { None, NoUnchangedTenth, MaskEveryChosen, ChooseTwentyPercent, RandomOutsideTheChosen }

    private const int V = 65;

    private static (long[] Input, long[] Target) Corrupt(long[] x, Generator g, Bug bug)
    {
        long[] shape = [x.Length];
        var chooseU = rand(shape, generator: g).data<float>().ToArray();
        var kindU = rand(shape, generator: g).data<float>().ToArray();
        var randomId = randint(0, V, shape, generator: g).data<long>().ToArray();
        var (input, target) = (new long[x.Length], new long[x.Length]);
        for (int i = 0; i < x.Length; i++)
        {
            var chosen = chooseU[i] < (bug == Bug.ChooseTwentyPercent ? 0.2f : 0.15f);
            target[i] = chosen ? x[i] : -1;
            input[i] = bug == Bug.RandomOutsideTheChosen && !chosen && kindU[i] >= 0.8f && kindU[i] < 0.9f ? randomId[i]
                     : !chosen ? x[i]
                     : bug == Bug.MaskEveryChosen || kindU[i] < 0.8f ? V
                     : bug == Bug.NoUnchangedTenth || kindU[i] < 0.9f ? randomId[i]
                     : x[i];
        }
        return (input, target);
    }

    // The statistical half of the notebook's check: four fractions within 4 SE, nothing changed outside the chosen.
    private static bool FractionsOk(Bug bug)
    {
        var rng = new Random(1);
        var x = Enumerable.Range(0, 64_000).Select(_ => (long)rng.Next(V)).ToArray();
        var (input, target) = Corrupt(x, new Generator(0), bug);
        double all = x.Length, chosen = target.Count(t => t >= 0);
        var idx = Enumerable.Range(0, x.Length).ToArray();
        var checks = new (double Observed, double Expected, double Trials)[] {
            (chosen / all, 0.15, all),
            (idx.Count(i => input[i] == V) / chosen, 0.8, chosen),
            (idx.Count(i => target[i] >= 0 && input[i] != V && input[i] != x[i]) / chosen, 0.1 * (V - 1) / V, chosen),
            (idx.Count(i => target[i] >= 0 && input[i] == x[i]) / chosen, 0.1 + 0.1 / V, chosen) };
        var outside = idx.Count(i => target[i] < 0 && input[i] != x[i]);
        return outside == 0 && checks.All(c => Math.Abs(c.Observed - c.Expected) < 4 * Math.Sqrt(c.Expected * (1 - c.Expected) / c.Trials));
    }

    [Fact]
    public void The_written_out_corruption_is_the_library_s_and_passes_the_fractions()
    {
        var x = randint(0, V, [50, 64], generator: new Generator(3));
        var (input, target) = Corrupt(x.data<long>().ToArray(), new Generator(9), Bug.None);
        var (libInput, libTarget) = BertMasking.Apply(x, V, V, new Generator(9));
        Assert.Equal(libInput.data<long>().ToArray(), input);
        Assert.Equal(libTarget.data<long>().ToArray(), target);
        Assert.True(FractionsOk(Bug.None));
    }

    [Theory]
    [InlineData(Bug.NoUnchangedTenth)]
    [InlineData(Bug.MaskEveryChosen)]
    [InlineData(Bug.ChooseTwentyPercent)]
    [InlineData(Bug.RandomOutsideTheChosen)]
    public void A_broken_corruption_fails_the_fractions(Bug bug) => Assert.False(FractionsOk(bug));

    public enum StepBug { None, LossOverAllPositions, NoOptimizerStep }

    // The notebook's three written-out steps against MaskedLmTraining, on a small encoder.
    private static bool StepMatches(StepBug bug)
    {
        var config = new GptConfig(V + 1, BlockSize: 16, Layers: 1, Heads: 2, Embed: 16, Bias: false, Causal: false);
        var run = PretrainConfig.NanoGptCpu with { Batch = 8, Steps = 3, WarmupSteps = 1, EvalEvery = 3, EvalBatches = 1, LogEvery = 1 };
        var rng = new Random(2);
        var ids = Enumerable.Range(0, 3000).Select(_ => rng.Next(V)).ToArray();
        manual_seed(0);
        using var mine = new Gpt(config);
        using var batches = new TokenBatches(ids, CPU, seed: 0);
        using var masks = new Generator(0);
        using var optimizer = optim.AdamW(new[] {
            new TorchSharp.Modules.AdamW.ParamGroup(mine.parameters().Where(p => p.dim() >= 2), run.LearningRate, beta2: run.Beta2, weight_decay: run.WeightDecay),
            new TorchSharp.Modules.AdamW.ParamGroup(mine.parameters().Where(p => p.dim() < 2), run.LearningRate, beta2: run.Beta2, weight_decay: 0.0) },
            run.LearningRate, beta2: run.Beta2);
        var losses = Denormals.Run(() =>
        {
            var list = new List<double>();
            mine.train();
            for (int s = 0; s < run.Steps; s++)
            {
                using var scope = NewDisposeScope();
                foreach (var g in optimizer.ParamGroups) g.LearningRate = run.ToTrainerOptions().LearningRateAt(s);
                var (x, _) = batches.Sample(true, run.Batch, config.BlockSize);
                var (input, target) = Corrupt(x.data<long>().ToArray(), masks, Bug.None);
                var inputT = tensor(input, x.shape);
                var targetT = tensor(target, x.shape);
                var nll = -nn.functional.log_softmax(mine.forward(inputT), -1).gather(-1, targetT.clamp_min(0).unsqueeze(-1)).squeeze(-1);
                var loss = bug == StepBug.LossOverAllPositions ? nll.mean() : nll.masked_select(targetT >= 0).mean();
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(mine.parameters(), run.GradClip);
                if (bug != StepBug.NoOptimizerStep) optimizer.step();
                list.Add(loss.item<float>());
            }
            return list;
        });
        manual_seed(0);
        using var lib = new Gpt(config);
        using var libData = new TokenBatches(ids, CPU, seed: 0);
        var history = MaskedLmTraining.Train(lib, libData, run, seed: 0, name: "test");
        var lossDiff = losses.Zip(history.Loss, (a, b) => Math.Abs(a - b)).Max();
        var weightDiff = mine.parameters().Zip(lib.parameters(), (a, b) => (a - b).abs().max().item<float>()).Max();
        return lossDiff <= 1e-5 && weightDiff <= 1e-5;
    }

    [Fact]
    public void The_written_out_step_is_the_library_s() => Assert.True(StepMatches(StepBug.None));

    [Theory]
    [InlineData(StepBug.LossOverAllPositions)]
    [InlineData(StepBug.NoOptimizerStep)]
    public void A_broken_step_fails(StepBug bug) => Assert.False(StepMatches(bug));
}
