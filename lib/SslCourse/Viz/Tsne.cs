using static TorchSharp.torch;

namespace SslCourse.Viz;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton 2008) in tensor operations, with PCA to 50 dimensions first, early
/// exaggeration, momentum and per-coordinate gains as in the original paper and scikit-learn. O(N²) memory:
/// meant for a few thousand points (seconds on a laptop CPU), not for whole datasets.
/// </summary>
public static class Tsne
{
    /// <summary>Embeds <paramref name="x"/> (N, D) in 2-D and returns (N, 2) plain numbers.</summary>
    /// <param name="x">Points, on any device.</param>
    /// <param name="seed">Seed for the initial layout.</param>
    /// <param name="perplexity">Effective number of neighbours (typically 5–50).</param>
    /// <param name="iterations">Gradient steps (the first quarter with early exaggeration).</param>
    public static float[,] Embed(Tensor x, int seed = 0, double perplexity = 30, int iterations = 500)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var n = x.shape[0];
        if (n < 4) throw new ArgumentException($"t-SNE needs at least 4 points, got {n}", nameof(x));
        perplexity = Math.Min(perplexity, (n - 1) / 3.0);
        var data = x.detach().to(ScalarType.Float32).flatten(1);
        if (data.shape[1] > 50) data = Pca.Transform(data, 50);
        var p = JointProbabilities(data, perplexity);
        var gen = new Generator((ulong)seed, data.device);
        var y = randn([n, 2], generator: gen, device: data.device) * 1e-4f;
        var velocity = zeros_like(y);
        var gains = ones_like(y);
        var exaggerationSteps = Math.Max(1, iterations / 4);
        var lr = Math.Max(n / 12.0 / 4.0, 50.0);
        // Two N×N work buffers updated in place: fresh N² allocations each step cost more than the arithmetic.
        var num = empty(n, n, device: data.device);
        var w = empty(n, n, device: data.device);
        for (int it = 0; it < iterations; it++)
        {
            using var step = NewDisposeScope();
            var exaggeration = it < exaggerationSteps ? 12f : 1f;
            var momentum = it < exaggerationSteps ? 0.5 : 0.8;
            var sq = y.pow(2).sum(1, keepdim: true);
            num.addmm_(y, y.T, beta: 0f, alpha: -2f).add_(sq).add_(sq.T).add_(1f).reciprocal_(); // Student-t kernel
            num.diagonal().fill_(0f);
            var total = num.sum();
            w.copy_(num).div_(total).clamp_min_(1e-12f).neg_().add_(p, alpha: exaggeration).mul_(num); // (P - Q) ∘ num
            var grad = 4f * (w.sum(1, keepdim: true) * y - w.matmul(y));    // (N, 2)
            var same = grad.sign().eq(velocity.sign());
            gains.copy_(where(same, gains * 0.8f, gains + 0.2f).clamp_min(0.01f));
            velocity.mul_(momentum).sub_(lr * gains * grad);
            y.add_(velocity);
            y.sub_(y.mean([0], keepdim: true));
        }
        return Pca.ToArray(y);
    }

    /// <summary>Symmetrised affinities P (N, N): (P_{j|i} + P_{i|j}) / 2N.</summary>
    internal static Tensor JointProbabilities(Tensor data, double perplexity)
    {
        using var scope = NewDisposeScope();
        var rows = ConditionalProbabilities(data, perplexity);
        var p = (rows + rows.T) / (2f * data.shape[0]);
        return p.clamp_min(1e-12f).MoveToOuterDisposeScope();
    }

    /// <summary>Conditional affinities P_{j|i} (N, N) whose rows have perplexity <paramref name="perplexity"/>, by bisection on each row's precision.</summary>
    internal static Tensor ConditionalProbabilities(Tensor data, double perplexity)
    {
        using var scope = NewDisposeScope();
        var n = data.shape[0];
        var sq = data.pow(2).sum(1, keepdim: true);
        var d2 = (sq + sq.T - 2f * data.matmul(data.T)).clamp_min(0f);
        d2.diagonal().fill_(float.PositiveInfinity);
        var target = Math.Log(perplexity);
        var lo = zeros(n, 1, device: data.device);
        var hi = full(n, 1, float.PositiveInfinity, device: data.device);
        var beta = ones(n, 1, device: data.device) / d2.where(d2.isfinite(), 0f).mean();
        for (int i = 0; i < 64; i++)
        {
            using var it = NewDisposeScope();
            var logits = -d2 * beta;
            var prob = softmax(logits, 1);
            var entropy = -(prob * logits.log_softmax(1).nan_to_num(0, 0, 0)).sum(1, keepdim: true);
            var tooFlat = entropy.gt(target);                              // too many neighbours: sharpen
            lo.copy_(where(tooFlat, beta, lo));
            hi.copy_(where(tooFlat, hi, beta));
            beta.copy_(where(hi.isinf(), beta * 2f, (lo + hi) / 2f));
        }
        return softmax(-d2 * beta, 1).MoveToOuterDisposeScope();
    }
}
