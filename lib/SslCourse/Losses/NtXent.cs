using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SslCourse.Losses;

/// <summary>
/// NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen, Kornblith, Norouzi &amp; Hinton, 2020,
/// "A Simple Framework for Contrastive Learning of Visual Representations", eq. 1). The 2N projections of N pairs
/// are L2-normalised; for each anchor k its positive is the other view of the same image and the other 2N − 2
/// projections are negatives:
/// ℓ(k) = −log( exp(sim(z_k, z_pos)/τ) / Σ_{m≠k} exp(sim(z_k, z_m)/τ) ), averaged over all 2N anchors (symmetric).
/// </summary>
public static class NtXent
{
    /// <summary>The mean NT-Xent loss over the 2N anchors.</summary>
    /// <param name="z1">(N, D) projections of the first views.</param>
    /// <param name="z2">(N, D) projections of the second views (row i pairs with row i of <paramref name="z1"/>).</param>
    /// <param name="temperature">τ &gt; 0; smaller values sharpen the softmax over similarities.</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor Loss(Tensor z1, Tensor z2, double temperature = 0.5)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"NT-Xent needs a temperature τ > 0, got {temperature}");
        if (!z1.shape.SequenceEqual(z2.shape) || z1.dim() != 2) throw new ArgumentException($"NT-Xent needs two (N, D) batches of equal shape, got [{string.Join(",", z1.shape)}] and [{string.Join(",", z2.shape)}]");
        using var scope = NewDisposeScope();
        long n = z1.shape[0];
        var z = F.normalize(cat([z1, z2], 0), dim: 1);                 // (2N, D)
        var logits = z.matmul(z.T).div(temperature);                    // (2N, 2N) cosine / τ
        var self = eye(2 * n, dtype: ScalarType.Bool, device: z.device);
        logits = logits.masked_fill(self, double.NegativeInfinity);      // an anchor is never its own negative
        var idx = arange(n, device: z.device);
        var targets = cat([idx + n, idx], 0);                           // (2N) index of each anchor's positive
        return F.cross_entropy(logits, targets).MoveToOuterDisposeScope();
    }
}
