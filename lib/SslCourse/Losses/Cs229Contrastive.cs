using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// The simplified contrastive loss of the CS229 notes (T. Ma, 2023 edition, chapter 14 "Self-supervised learning
/// and foundation models", §14.2 "Pretraining methods in computer vision", its contrastive-learning paragraph; the loss is displayed there without an equation number,
/// while eqs. 14.1–14.4 are the linear probe and finetuning), a SimCLR variant with plain dot products and no temperature or normalisation. For a batch of B
/// positive pairs (x̂_i, x̃_i) of augmentations of the same image:
/// Loss = Σ_i −log( exp(φ(x̂_i)ᵀφ(x̃_i)) / Σ_j exp(φ(x̂_i)ᵀφ(x̃_j)) ),
/// the positive pair in the numerator and every x̃_j (the positive and the B − 1 negatives) in the denominator.
/// It is one-sided: only x̂_i act as anchors, only x̃_j as candidates.
/// </summary>
public static class Cs229Contrastive
{
    /// <summary>The loss, summed over the batch as in the notes (or averaged when <paramref name="mean"/>).</summary>
    /// <param name="phiHat">(B, D) representations φ(x̂_i).</param>
    /// <param name="phiTilde">(B, D) representations φ(x̃_i).</param>
    /// <param name="mean">Divide by B (handy for training with a fixed learning rate).</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor Loss(Tensor phiHat, Tensor phiTilde, bool mean = false)
    {
        using var scope = NewDisposeScope();
        var logits = phiHat.matmul(phiTilde.T);                                         // (B, B): [i, j] = φ(x̂_i)ᵀφ(x̃_j)
        var targets = arange(phiHat.shape[0], device: phiHat.device);                   // positive of row i is column i
        var loss = F.cross_entropy(logits, targets, reduction: nn.Reduction.Sum);
        return (mean ? loss / phiHat.shape[0] : loss).MoveToOuterDisposeScope();
    }
}
