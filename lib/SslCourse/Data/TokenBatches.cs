using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// A token stream on the device split 90/10 into train and validation, sampled as random (B, T) windows with the
/// next-token targets shifted by one (nanoGPT's get_batch).
/// </summary>
public sealed class TokenBatches : IDisposable
{
    private readonly Generator _gen;

    /// <summary>Puts <paramref name="ids"/> on <paramref name="device"/> and splits it.</summary>
    public TokenBatches(IReadOnlyList<int> ids, Device device, double trainFraction = 0.9, int seed = 0)
    {
        if (trainFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "the train fraction must lie strictly between 0 and 1");
        using var all = tensor(ids.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64);
        var n = (long)(ids.Count * trainFraction);
        Train = all[..(int)n].to(device).DetachFromDisposeScope();
        Val = all[(int)n..].to(device).DetachFromDisposeScope();
        _gen = new Generator((ulong)seed, device);
    }

    /// <summary>The first 90% of the tokens.</summary>
    public Tensor Train { get; }

    /// <summary>The last 10%.</summary>
    public Tensor Val { get; }

    /// <summary>Random windows: x (B, T) and y (B, T) with y[:, t] = x[:, t+1] in the stream.</summary>
    public (Tensor X, Tensor Y) Sample(bool train, int batch, int block)
    {
        var data = train ? Train : Val;
        if (data.shape[0] <= block)
            throw new ArgumentException($"the {(train ? "train" : "validation")} split has {data.shape[0]} tokens, too few for windows of {block} + 1; use a longer corpus or a shorter context", nameof(block));
        // A window of block + 1 tokens may start anywhere up to n − block − 1 (randint's upper bound is exclusive).
        var ix = randint(0, data.shape[0] - block, [batch, 1], generator: _gen, device: data.device);     // (B, 1)
        var offsets = arange(block + 1, device: data.device).unsqueeze(0);                                 // (1, T+1)
        var windows = data[ix + offsets];                                                                  // (B, T+1)
        return (windows[.., ..^1], windows[.., 1..]);
    }

    /// <summary>Mean loss over <paramref name="batches"/> random batches of each split (no gradient, eval mode).</summary>
    public (double Train, double Val) EstimateLoss(Func<Tensor, Tensor, Tensor> loss, torch.nn.Module model, int batches, int batch, int block)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var wasTraining = model.training;
        model.eval();
        double Mean(bool train)
        {
            var sum = zeros(1, device: Train.device);
            for (int i = 0; i < batches; i++)
            {
                using var step = NewDisposeScope(); // frees each batch's activations now, not after all batches
                var (x, y) = Sample(train, batch, block);
                sum.add_(loss(x, y));
            }
            return sum.item<float>() / batches;   // one host read per split
        }
        var result = (Mean(true), Mean(false));
        if (wasTraining) model.train();
        return result;
    }

    /// <inheritdoc/>
    public void Dispose() { Train.Dispose(); Val.Dispose(); _gen.Dispose(); }
}
