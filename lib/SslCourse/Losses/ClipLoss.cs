using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// CLIP's symmetric InfoNCE loss (Radford et al., 2021, "Learning Transferable Visual Models From Natural Language
/// Supervision", Fig. 3): for B matching (image, text) pairs, the B × B matrix of scaled cosine similarities is read
/// as B image→text classifications (row i's answer is column i) and B text→image classifications (column j's answer
/// is row j); the loss is the mean of the two cross-entropies. It is NT-Xent's idea across two modalities, with no
/// same-modality negatives.
/// </summary>
public static class ClipLoss
{
    /// <summary>The mean of the image→text and text→image cross-entropies.</summary>
    /// <param name="images">(B, E) image embeddings (normalised here).</param>
    /// <param name="texts">(B, E) text embeddings, row i describing image i (normalised here).</param>
    /// <param name="logitScale">Scalar tensor s: logits = exp(s) · cos; CLIP learns s, starting at log(1/0.07).</param>
    public static Tensor Symmetric(Tensor images, Tensor texts, Tensor logitScale)
    {
        if (!images.shape.SequenceEqual(texts.shape) || images.dim() != 2)
            throw new ArgumentException($"CLIP's loss needs two (B, E) batches of equal shape, got [{string.Join(",", images.shape)}] and [{string.Join(",", texts.shape)}]");
        using var scope = NewDisposeScope();
        var logits = logitScale.exp() * F.normalize(images, dim: 1).matmul(F.normalize(texts, dim: 1).T);   // (B, B)
        var targets = arange(images.shape[0], device: images.device);
        return ((F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2).MoveToOuterDisposeScope();
    }
}
