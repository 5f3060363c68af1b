using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Generation;

/// <summary>Filters and samples next-token distributions from logits (B, V).</summary>
public static class Sampler
{
    /// <summary>softmax(u / τ) over the last dimension.</summary>
    public static Tensor Probabilities(Tensor logits, double temperature) => nn.functional.softmax(logits / temperature, -1);

    /// <summary>Sets every logit below the k-th largest of its row to −∞.</summary>
    public static Tensor TopK(Tensor logits, int k)
    {
        k = (int)Math.Min(k, logits.shape[^1]);
        var kth = logits.topk(k, -1).values[.., ^1..]; // (B, 1)
        return logits.masked_fill(logits < kth, double.NegativeInfinity);
    }

    /// <summary>Keeps, per row, the most likely tokens until their total probability first reaches <paramref name="p"/>; others → −∞.</summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        var (sorted, order) = logits.sort(-1, descending: true);
        var probs = nn.functional.softmax(sorted, -1);
        var before = probs.cumsum(-1) - probs;         // mass strictly before each token
        var dropSorted = before >= p;                  // the first token is always kept
        var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
        return logits.masked_fill(drop, double.NegativeInfinity);
    }

    /// <summary>The next token (B, 1) under <paramref name="options"/>.</summary>
    public static Tensor Next(Tensor logits, SamplingOptions options, Generator? generator = null) =>
        options.IsGreedy ? logits.argmax(-1, keepdim: true) : SampleFrom(Distribution(logits, options), generator);

    /// <summary>
    /// The distribution (B, V) that <see cref="Next"/> draws from: softmax(u / τ) restricted to the top k and/or the
    /// nucleus and renormalised; for greedy decoding, all mass on the argmax.
    /// </summary>
    public static Tensor Distribution(Tensor logits, SamplingOptions options)
    {
        if (options.IsGreedy)
            return zeros_like(logits).scatter_(-1, logits.argmax(-1, keepdim: true), ones_like(logits[.., ..1]));
        var u = logits / options.Temperature;
        if (options.TopK is int k) u = TopK(u, k);
        if (options.TopP is double p) u = TopP(u, p);
        return nn.functional.softmax(u, -1);
    }

    /// <summary>One draw per row of <paramref name="probs"/> (B, V) by inverting the cumulative distribution.</summary>
    public static Tensor SampleFrom(Tensor probs, Generator? generator = null)
    {
        var cdf = probs.cumsum(-1);                                                                   // (B, V)
        var u = rand([probs.shape[0], 1], generator: generator, device: probs.device) * cdf[.., ^1..]; // (B, 1)
        return (cdf <= u).sum(-1, keepdim: true).clamp_max(probs.shape[1] - 1);                      // first index with cdf > u
    }
}
