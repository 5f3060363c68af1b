using SslCourse.Adapt;
using SslCourse.Models;
using SslCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_6's loop check (cell 026-07b): one finetuning run written out gives <see cref="FinetuneWithValidation.Run"/>'s
/// losses (mean per evaluation span, within 1e-5), kept step, steps run and accuracies. Plausible broken loops fail it.
/// </summary>
public sealed class FinetuneLoopCheckTests
{
    public enum Bug { None, NoWarmup, NoClip, HeadSeededAfterItIsBuilt }

    private static readonly GptConfig Config = new(11, BlockSize: 12, Layers: 1, Heads: 2, Embed: 16, Bias: false);

    private static FinetuneResult Written(Gpt pretrained, AdaptMode mode, (Tensor X, Tensor Y) train, (Tensor X, Tensor Y) val,
        (Tensor X, Tensor Y) test, FinetuneRun run, List<double> losses, Bug bug)
    {
        if (bug != Bug.HeadSeededAfterItIsBuilt) manual_seed(run.Seed);
        var body = new Gpt(pretrained.Config);
        if (mode != AdaptMode.FromScratch) body.load_state_dict(pretrained.state_dict());
        using var model = new GptClassifier(body, 2, run.Pooling);
        if (bug == Bug.HeadSeededAfterItIsBuilt) manual_seed(run.Seed);
        if (mode == AdaptMode.LinearHead) model.FreezeBody();
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trainable, run.LearningRate, weight_decay: 0.01);
        using var gen = new Generator((ulong)run.Seed);
        int warmup = bug == Bug.NoWarmup ? 0 : run.Steps / 10;
        double Rate(int s) => s < warmup ? run.LearningRate * (s + 1) / warmup
            : 0.1 * run.LearningRate + 0.45 * run.LearningRate * (1 + Math.Cos(Math.PI * (s - warmup) / Math.Max(1, run.Steps - warmup)));
        double Accuracy((Tensor X, Tensor Y) split)
        {
            model.eval();
            using var _ = no_grad();
            var acc = model.forward(split.X).argmax(-1).eq(split.Y).to(ScalarType.Float64).mean().item<double>();
            model.train();
            return acc;
        }
        var (bestAcc, bestStep, stale, stepsRun) = (-1.0, 0, 0, 0);
        Dictionary<string, Tensor>? best = null;
        var n = train.X.shape[0];
        model.train();
        Denormals.Run(() =>
        {
            for (int s = 0; s < run.Steps; s++)
            {
                using var scope = NewDisposeScope();
                foreach (var g in optimizer.ParamGroups) g.LearningRate = Rate(s);
                optimizer.zero_grad();
                var ix = randint(0, n, [Math.Min(run.Batch, n)], generator: gen);
                var loss = nn.functional.cross_entropy(model.forward(train.X[ix]), train.Y[ix]);
                loss.backward();
                if (bug != Bug.NoClip) nn.utils.clip_grad_norm_(trainable, 1.0);
                optimizer.step();
                losses.Add(loss.item<float>());
                if ((s + 1) % run.EvalEvery != 0 && s + 1 != run.Steps) continue;
                stepsRun = s + 1;
                var acc = Accuracy(val);
                if (acc > bestAcc)
                {
                    (bestAcc, bestStep, stale) = (acc, s + 1, 0);
                    best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
                else if (++stale >= run.Patience && s + 1 < run.Steps) break;
            }
            return stepsRun;
        });
        using (no_grad()) foreach (var (name, t) in model.state_dict()) t.copy_(best![name]);
        return new FinetuneResult(Accuracy(test), bestAcc, bestStep, stepsRun, []);
    }

    private static (Tensor X, Tensor Y) Data(int n, int seed)
    {
        var g = new Generator((ulong)seed);
        var x = randint(0, Config.VocabSize, [n, Config.BlockSize], generator: g);
        var y = (x[.., -1] > 5).to(ScalarType.Int64);   // a rule on the last token the head can learn
        return (x, y);
    }

    private static bool Check(Bug bug)
    {
        manual_seed(7);
        using var pretrained = new Gpt(Config);
        var (train, val, test) = (Data(96, 1), Data(64, 2), Data(128, 3));
        var run = new FinetuneRun(40, 3e-2, Batch: 16, EvalEvery: 5, Patience: 2, Seed: 0);
        var losses = new List<double>();
        var mine = Written(pretrained, AdaptMode.FullFinetune, train, val, test, run, losses, bug);
        var lib = FinetuneWithValidation.Run(AdaptMode.FullFinetune, pretrained, train, val, test, run);
        var means = losses.Chunk(run.EvalEvery).Select(c => c.Average()).ToList();
        var gap = means.Count == lib.TrainingLoss.Count ? means.Zip(lib.TrainingLoss, (a, b) => Math.Abs(a - b)).Max() : double.PositiveInfinity;
        return gap <= 1e-5 && (mine.BestStep, mine.StepsRun, mine.ValAccuracy, mine.TestAccuracy) == (lib.BestStep, lib.StepsRun, lib.ValAccuracy, lib.TestAccuracy);
    }

    [Fact]
    public void The_written_out_loop_passes() => Assert.True(Check(Bug.None));

    [Theory]
    [InlineData(Bug.NoWarmup)]
    [InlineData(Bug.NoClip)]
    [InlineData(Bug.HeadSeededAfterItIsBuilt)]
    public void A_broken_loop_fails(Bug bug) => Assert.False(Check(bug));
}
