using static TorchSharp.torch;

namespace SslCourse.Losses;

/// <summary>
/// The language-modelling loss: the mean negative log-likelihood, in nats per token, of each target token under the
/// model's next-token distribution, −(1/N) Σ_t log p_θ(x_{t+1} | x_1..x_t) (CS229 notes, 2023 edition, §14.3).
/// </summary>
public static class LmLoss
{
    /// <summary>The mean cross-entropy of <paramref name="targets"/> (B, T) under <paramref name="logits"/> (B, T, V).</summary>
    /// <param name="logits">(B, T, V) unnormalised next-token scores.</param>
    /// <param name="targets">(B, T) token ids; positions equal to <paramref name="ignoreIndex"/> do not count.</param>
    /// <param name="ignoreIndex">A target id that marks positions to skip (e.g. the prompt in finetuning).</param>
    public static Tensor Loss(Tensor logits, Tensor targets, long ignoreIndex = -100)
    {
        CheckShapes(logits, targets);
        using var scope = NewDisposeScope();
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: ignoreIndex)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The per-token cross-entropy (B, T) of <paramref name="targets"/> (B, T) under <paramref name="logits"/> (B, T, V),
    /// unreduced, e.g. to score each sequence or only its last tokens.
    /// </summary>
    /// <param name="logits">(B, T, V) unnormalised next-token scores.</param>
    /// <param name="targets">(B, T) token ids.</param>
    public static Tensor TokenLosses(Tensor logits, Tensor targets)
    {
        CheckShapes(logits, targets);
        using var scope = NewDisposeScope();
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), reduction: nn.Reduction.None)
            .reshape(targets.shape[0], -1).MoveToOuterDisposeScope();
    }

    static void CheckShapes(Tensor logits, Tensor targets)
    {
        if (logits.dim() != 3 || targets.dim() != 2 || logits.shape[0] != targets.shape[0] || logits.shape[1] != targets.shape[1])
            throw new ArgumentException($"LM loss needs logits (B, T, V) and targets (B, T), got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", targets.shape)}]");
    }
}
