using SslCourse.Losses;
using static TorchSharp.torch;

namespace SslCourse.Tests.Losses;

/// <summary>LmLoss replaced inline flattened cross-entropies: it must give the very same bits (allclose with zero tolerances).</summary>
public sealed class LmLossTests
{
    static (Tensor Logits, Tensor Targets) Batch()
    {
        manual_seed(3);
        var logits = randn(3, 5, 7);
        var targets = randint(0, 7, [3, 5]);
        targets[0, 1] = tensor(-1L); // an ignored position, as the masked-LM and in-context losses mark them
        return (logits, targets);
    }

    [Fact]
    public void LossEqualsTheFlattenedCrossEntropyBitForBit()
    {
        var (logits, targets) = Batch();
        var flat = nn.functional.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1), ignore_index: -1);
        Assert.True(flat.allclose(LmLoss.Loss(logits, targets, ignoreIndex: -1), 0, 0));
        var clean = targets.clamp_min(0);
        Assert.True(nn.functional.cross_entropy(logits.reshape(-1, 7), clean.reshape(-1)).allclose(LmLoss.Loss(logits, clean), 0, 0));
    }

    [Fact]
    public void TokenLossesAreTheUnreducedCrossEntropyPerPosition()
    {
        var (logits, targets) = Batch();
        var x = targets.clamp_min(0);
        var slice = x[.., 1..]; // non-contiguous, as LanguageModelScore passes it
        var flat = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, 7), slice.reshape(-1), reduction: nn.Reduction.None).reshape(3, -1);
        var perToken = LmLoss.TokenLosses(logits[.., ..^1], slice);
        Assert.Equal([3L, 4L], perToken.shape);
        Assert.True(flat.allclose(perToken, 0, 0));
    }

    [Fact]
    public void MismatchedShapesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => LmLoss.TokenLosses(zeros(2, 3, 4), zeros(2, 4, dtype: ScalarType.Int64)));
    }
}
