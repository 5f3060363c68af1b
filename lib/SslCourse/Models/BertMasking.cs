using static TorchSharp.torch;

namespace SslCourse.Models;

/// <summary>
/// BERT's masked-language-model corruption (Devlin et al., 2019, §3.1): choose each position with probability
/// <c>rate</c> (15%); of the chosen, replace 80% by the mask token, 10% by a random token and leave 10% unchanged.
/// The model must predict the original token at every chosen position, and only there.
/// </summary>
public static class BertMasking
{
    /// <summary>
    /// Corrupts <paramref name="tokens"/> (B, T) with ids below <paramref name="vocabSize"/>. Returns the input with
    /// <paramref name="maskId"/>, random and kept tokens, and targets (B, T): the original id at chosen positions, −1 elsewhere
    /// (for <c>cross_entropy(..., ignore_index: -1)</c>).
    /// </summary>
    public static (Tensor Input, Tensor Targets) Apply(Tensor tokens, int maskId, int vocabSize, Generator generator, double rate = 0.15)
    {
        if (rate is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the masking rate must lie strictly between 0 and 1");
        using var scope = NewDisposeScope();
        var device = tokens.device;
        var chosen = rand(tokens.shape, generator: generator, device: device) < rate;         // 15% of positions
        var kind = rand(tokens.shape, generator: generator, device: device);                  // 80 / 10 / 10 split
        var random = randint(0, vocabSize, tokens.shape, generator: generator, device: device);
        var input = tokens.masked_fill(chosen & (kind < 0.8), maskId);
        input = where(chosen & (kind >= 0.8) & (kind < 0.9), random, input);
        var targets = tokens.masked_fill(chosen.logical_not(), -1);
        return (input.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }
}
