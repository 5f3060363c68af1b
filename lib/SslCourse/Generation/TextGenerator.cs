using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Generation;

/// <summary>Autoregressive generation x_{t+1} ~ p(· | x_≤t), as nanoGPT's generate, with or without a KV cache.</summary>
public static class TextGenerator
{
    /// <summary>
    /// Appends up to <paramref name="maxNewTokens"/> tokens to <paramref name="idx"/> (B, T). With
    /// <paramref name="useCache"/> only the newest token is fed each step; without, the whole (cropped) prefix is
    /// recomputed. Both give the same distribution; once the context outgrows the block size the cached path
    /// re-reads the cropped window exactly like the uncached one.
    /// </summary>
    public static Tensor Generate(Gpt model, Tensor idx, int maxNewTokens, SamplingOptions? options = null,
        bool useCache = true, Generator? generator = null, IReadOnlyCollection<int>? stopTokens = null)
    {
        options ??= new SamplingOptions();
        var block = model.Config.BlockSize;
        var wasTraining = model.training;
        model.eval();
        using var _ = no_grad();
        using var cache = useCache ? new KvCache(model.Config.Layers) : null;
        var stop = stopTokens is { Count: > 0 } ? tensor(stopTokens.Select(t => (long)t).ToArray(), device: idx.device) : null;
        var finished = zeros(idx.shape[0], dtype: ScalarType.Bool, device: idx.device);
        var seq = idx;
        for (int i = 0; i < maxNewTokens; i++)
        {
            using var scope = NewDisposeScope();
            Tensor input;
            if (cache is null || cache.Length == 0 || cache.Length + 1 > block)
            {
                cache?.Clear();
                input = seq.shape[1] <= block ? seq : seq[.., ^block..]; // crop to the context the model can see
            }
            else input = seq[.., ^1..];                                      // only the newest token
            var logits = model.ForwardCached(input, cache)[.., -1, ..];           // (B, V)
            var next = Sampler.Next(logits, options, generator);             // (B, 1)
            seq = cat([seq, next], 1).MoveToOuterDisposeScope();
            if (stop is not null)
            {
                finished = finished.logical_or(isin(next.squeeze(1), stop)).MoveToOuterDisposeScope();
                if (finished.all().item<bool>()) break;
            }
        }
        if (wasTraining) model.train();
        return seq;
    }

    /// <summary>Convenience: a string prompt in, generated text (prompt included) out, batch of one.</summary>
    public static string Complete(Gpt model, Text.ITokenizer tokenizer, string prompt, int maxNewTokens,
        SamplingOptions? options = null, int seed = 0, bool useCache = true)
    {
        var device = model.parameters().First().device;
        using var scope = NewDisposeScope();
        var ids = tokenizer.Encode(prompt);
        var idx = tensor(ids.Select(i => (long)i).ToArray(), device: device).unsqueeze(0);
        using var gen = new Generator((ulong)seed, device);
        var outIds = Generate(model, idx, maxNewTokens, options, useCache, gen)[0].cpu().data<long>().Select(x => (int)x).ToArray();
        return tokenizer.Decode(outIds);
    }
}
