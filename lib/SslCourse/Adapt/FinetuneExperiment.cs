using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Text;
using SslCourse.Training;
using TorchSharp;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>How the classifier is adapted.</summary>
public enum AdaptMode
{
    /// <summary>Frozen pretrained body, linear head only.</summary>
    LinearHead,
    /// <summary>Pretrained body and head, all weights trained.</summary>
    FullFinetune,
    /// <summary>Same architecture, random initialisation, all weights trained.</summary>
    FromScratch,
}

/// <summary>Trains one classifier on a labelled text set and reports test accuracy (the finetuning comparison of CS229 §14.3).</summary>
public static class FinetuneExperiment
{
    /// <summary>Encodes equal-length passages into a (N, T) tensor.</summary>
    public static Tensor Encode(ITokenizer tokenizer, IReadOnlyList<string> passages, Device device)
    {
        var rows = passages.Select(tokenizer.Encode).ToArray();
        var T = rows.Min(r => r.Length);
        return tensor(rows.SelectMany(r => r.Take(T)).Select(i => (long)i).ToArray(), [rows.Length, T], device: device);
    }

    /// <summary>
    /// Builds a classifier in <paramref name="mode"/> (copying <paramref name="pretrained"/>'s weights unless
    /// from scratch), trains it on (x, y) and returns accuracy on (testX, testY).
    /// </summary>
    public static double Run(AdaptMode mode, Gpt pretrained, Tensor x, Tensor y, Tensor testX, Tensor testY,
        int steps, double learningRate, int batch, int seed)
    {
        torch.manual_seed(seed);
        var device = x.device;
        var body = new Gpt(pretrained.Config).to(device);
        if (mode != AdaptMode.FromScratch) body.load_state_dict(pretrained.state_dict());
        using var model = new GptClassifier(body, 2).to(device);
        if (mode == AdaptMode.LinearHead) model.FreezeBody();
        using var gen = new Generator((ulong)seed, device);
        var n = x.shape[0];
        model.train();
        Trainer.Fit(model.parameters(), _ =>
        {
            var ix = randint(0, n, [Math.Min(batch, n)], generator: gen, device: device);
            return nn.functional.cross_entropy(model.forward(x[ix]), y[ix]);
        }, new TrainerOptions(steps, learningRate, WeightDecay: 0.01, WarmupSteps: steps / 10, LogEvery: Math.Max(1, steps / 5),
            Name: $"{mode} n={n}", FlushDenormals: true, DecayOnlyMatrices: false));
        return FinetuneWithValidation.Accuracy(model, testX, testY); // 256 passages a chunk, one host read
    }

    /// <summary>
    /// Zero-shot classification with no labels: the half of <paramref name="x"/> with the lower mean next-token
    /// loss under the language model is called real (1) (the classes are balanced). Returns the
    /// accuracy against <paramref name="y"/> and the mean losses of the real and the corrupted passages.
    /// </summary>
    /// <param name="model">The language model.</param>
    /// <param name="x">(N, T) passages.</param>
    /// <param name="y">(N) labels, 1 = real.</param>
    /// <param name="lastTokens">Average the loss over only the last this many predicted tokens (null = all T − 1).</param>
    public static (double Accuracy, double RealLoss, double ShuffledLoss) LanguageModelScore(Gpt model, Tensor x, Tensor y, int? lastTokens = null)
    {
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = model.forward(x[.., ..^1]); // (N, T-1, V)
        var nll = LmLoss.TokenLosses(logits, x[.., 1..]); // (N, T-1)
        if (lastTokens is int k) nll = nll[.., ^Math.Clamp(k, 1, (int)nll.shape[1])..];
        nll = nll.mean([1]); // (N)
        var half = x.shape[0] / 2; // the lower-loss half is called real
        var predicted = zeros_like(y).index_fill_(0, nll.argsort().narrow(0, 0, half), 1);
        var real = y.eq(1);
        return (predicted.eq(y).to(ScalarType.Float64).mean().item<double>(),
            nll[real].mean().item<float>(), nll[real.logical_not()].mean().item<float>());
    }
}
