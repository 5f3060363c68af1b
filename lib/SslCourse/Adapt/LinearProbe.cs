using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>Settings for <see cref="LinearProbe.Fit"/>.</summary>
/// <param name="Steps">Optimiser steps (full batch when the data fit in <paramref name="BatchSize"/>).</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="L2">L2 penalty on the weights (not the bias); larger values help when labels are few.</param>
/// <param name="BatchSize">Mini-batch size for large label sets.</param>
/// <param name="Standardize">Scale each feature to zero mean and unit variance using the training features.</param>
/// <param name="Seed">Seed for mini-batch sampling.</param>
public sealed record LinearProbeOptions(int Steps = 300, double LearningRate = 0.05, double L2 = 1e-4, int BatchSize = 8192, bool Standardize = true, int Seed = 0)
{
    /// <summary>Defaults suited to probing frozen features.</summary>
    public static LinearProbeOptions Default { get; } = new();
}

/// <summary>
/// A linear probe: multinomial logistic regression fitted on frozen features, the adaptation method that measures
/// how linearly separable a representation is (Alain &amp; Bengio 2016; the "linear probe" of CS229's notes, where only
/// the head w is learned on top of a fixed φ(x)).
/// </summary>
public sealed class LinearProbe : IDisposable
{
    private readonly Tensor _weight; // (D, K)
    private readonly Tensor _bias;   // (K)
    private readonly Tensor _mean;   // (D)
    private readonly Tensor _std;    // (D)

    private LinearProbe(Tensor weight, Tensor bias, Tensor mean, Tensor std)
    {
        _weight = weight;
        _bias = bias;
        _mean = mean;
        _std = std;
    }

    /// <summary>Number of classes.</summary>
    public long Classes => _bias.shape[0];

    /// <summary>Fits a probe on <paramref name="features"/> (N, D) with int64 <paramref name="labels"/> (N).</summary>
    public static LinearProbe Fit(Tensor features, Tensor labels, int classes, LinearProbeOptions? options = null)
    {
        var o = options ?? LinearProbeOptions.Default;
        if (features.dim() != 2) throw new ArgumentException($"features must be (N, D), got {features.dim()} dimensions", nameof(features));
        if (labels.shape[0] != features.shape[0]) throw new ArgumentException($"{features.shape[0]} feature rows but {labels.shape[0]} labels", nameof(labels));
        using var outer = NewDisposeScope();
        var x = features.detach().to(ScalarType.Float32);
        var y = labels.to(ScalarType.Int64, x.device);
        var (n, d) = (x.shape[0], x.shape[1]);
        Tensor mean, std;
        if (o.Standardize)
        {
            mean = x.mean([0]);
            std = n > 1 ? x.std(0, unbiased: false).clamp_min(1e-6) : ones(d, device: x.device);
        }
        else
        {
            mean = zeros(d, device: x.device);
            std = ones(d, device: x.device);
        }
        var xs = (x - mean) / std;
        var w = new TorchSharp.Modules.Parameter(zeros(d, classes, device: x.device));
        var b = new TorchSharp.Modules.Parameter(zeros(classes, device: x.device));
        using var opt = optim.Adam([w, b], o.LearningRate);
        using var gen = new Generator((ulong)o.Seed, x.device);
        var full = n <= o.BatchSize;
        for (int step = 0; step < o.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (xb, yb) = full ? (xs, y) : Batch(xs, y, o.BatchSize, gen);
            opt.zero_grad();
            var logits = xb.matmul(w) + b;
            var loss = nn.functional.cross_entropy(logits, yb) + o.L2 * w.pow(2).sum();
            loss.backward();
            opt.step();
        }
        return new LinearProbe(w.detach().clone().MoveToOuterDisposeScope(), b.detach().clone().MoveToOuterDisposeScope(),
                               mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope());
    }

    private static (Tensor, Tensor) Batch(Tensor x, Tensor y, int size, Generator gen)
    {
        var idx = randint(0, x.shape[0], [size], generator: gen, device: x.device);
        return (x.index_select(0, idx), y.index_select(0, idx));
    }

    /// <summary>Class scores (N, K) for <paramref name="features"/> (N, D).</summary>
    public Tensor Logits(Tensor features)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = (features.to(ScalarType.Float32, _weight.device) - _mean) / _std;
        return (x.matmul(_weight) + _bias).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted class indices (N).</summary>
    public Tensor Predict(Tensor features)
    {
        using var scope = NewDisposeScope();
        return Logits(features).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Fraction of <paramref name="labels"/> predicted correctly.</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return Predict(features).eq(labels.to(_weight.device)).to(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Frees the probe's tensors.</summary>
    public void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }
}
