using SslCourse.Generation;
using SslCourse.Models;
using SslCourse.Text;
using static TorchSharp.torch;

namespace SslCourse.Tests.Generation;

public sealed class DecodingTraceTests
{
    private static readonly CharTokenizer Tok = new("abcdefgh ");

    [Fact]
    public void DistributionIsOneHotForGreedyAndRestrictedForTopK()
    {
        using var logits = tensor(new float[] { 0.1f, 3f, -1f, 2f, 1.5f }).unsqueeze(0);
        Assert.Equal(new float[] { 0, 1, 0, 0, 0 }, Sampler.Distribution(logits, SamplingOptions.Greedy)[0].data<float>().ToArray());
        var q = Sampler.Distribution(logits, new SamplingOptions(1.0, TopK: 2))[0];
        Assert.Equal(2, q.gt(0).sum().item<long>());
        Assert.Equal(1.0, q.sum().item<float>(), 5);
        // softmax over the two kept logits 3 and 2
        Assert.Equal(1 / (1 + Math.Exp(-1)), q[1].item<float>(), 5);
    }

    [Fact]
    public void GreedyTraceHasZeroSamplingEntropyAndMatchesGenerate()
    {
        manual_seed(7);
        using var model = new Gpt(new GptConfig(Tok.VocabSize, BlockSize: 8, Layers: 1, Heads: 2, Embed: 16));
        var trace = DecodingTrace.Run(model, Tok, "abc", 12, SamplingOptions.Greedy);
        Assert.Equal(12, trace.ModelEntropy.Length);
        Assert.All(trace.SamplingEntropy, h => Assert.Equal(0, h, 5));
        Assert.All(trace.Kept, k => Assert.Equal(1, k));
        Assert.All(trace.ModelEntropy, h => Assert.InRange(h, 0, Math.Log(Tok.VocabSize) + 1e-4));
        Assert.Equal(TextGenerator.Complete(model, Tok, "abc", 12, SamplingOptions.Greedy, useCache: false), trace.Text);
    }

    [Fact]
    public void TemperatureOneSamplesTheModelsOwnDistribution()
    {
        manual_seed(8);
        using var model = new Gpt(new GptConfig(Tok.VocabSize, BlockSize: 8, Layers: 1, Heads: 2, Embed: 16));
        var trace = DecodingTrace.Run(model, Tok, "a", 10, new SamplingOptions(1.0), seed: 3);
        for (int i = 0; i < 10; i++) Assert.Equal(trace.ModelEntropy[i], trace.SamplingEntropy[i], 4);
        Assert.All(trace.Kept, k => Assert.Equal(Tok.VocabSize, k));
    }
}
