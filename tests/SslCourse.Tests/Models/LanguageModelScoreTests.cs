using SslCourse.Adapt;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public sealed class LanguageModelScoreTests
{
    [Fact]
    public void TheLowerLossHalfIsCalledReal()
    {
        manual_seed(0);
        using var model = new Gpt(GptConfig.Tiny with { VocabSize = 8, BlockSize = 16 });
        model.eval();
        var x = randint(0, 8, [8, 16]);
        // Label as real the four passages whose own mean next-token loss (model.Loss, row by row) is lowest.
        double[] losses;
        using (no_grad())
            losses = Enumerable.Range(0, 8).Select(i => model.Loss(x[i..(i + 1), ..^1], x[i..(i + 1), 1..]).item<float>()).Select(v => (double)v).ToArray();
        var lowest = losses.Select((l, i) => (l, i)).OrderBy(p => p.l).Take(4).Select(p => p.i).ToHashSet();
        var y = tensor(Enumerable.Range(0, 8).Select(i => lowest.Contains(i) ? 1L : 0L).ToArray());
        var (accuracy, realLoss, shuffledLoss) = FinetuneExperiment.LanguageModelScore(model, x, y);
        Assert.Equal(1.0, accuracy);
        Assert.Equal(lowest.Average(i => losses[i]), realLoss, 4);
        Assert.True(realLoss < shuffledLoss);
    }

    [Fact]
    public void LastTokensScoresOnlyTheEndOfEachPassage()
    {
        manual_seed(1);
        using var model = new Gpt(GptConfig.Tiny with { VocabSize = 8, BlockSize = 16 });
        model.eval();
        var x = randint(0, 8, [6, 16]);
        double[] tail;
        using (no_grad())
        {
            var logits = model.forward(x[.., ..^1]);                      // (6, 15, 8)
            tail = Enumerable.Range(0, 6).Select(i => (double)nn.functional.cross_entropy(logits[i, ^3..], x[i, ^3..]).item<float>()).ToArray();
        }
        var lowest = tail.Select((v, i) => (v, i)).OrderBy(t => t.v).Take(3).Select(t => t.i).ToHashSet();
        var y = tensor(Enumerable.Range(0, 6).Select(i => lowest.Contains(i) ? 1L : 0L).ToArray());
        var (accuracy, realLoss, _) = FinetuneExperiment.LanguageModelScore(model, x, y, lastTokens: 3);
        Assert.Equal(1.0, accuracy);
        Assert.Equal(lowest.Average(i => tail[i]), realLoss, 4);
    }
}
