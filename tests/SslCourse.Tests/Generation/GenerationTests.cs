using SslCourse.Generation;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Generation;

public sealed class GenerationTests
{
    [Fact]
    public void TopKKeepsExactlyTheKLargest()
    {
        using var logits = tensor(new float[] { 0.1f, 3f, -1f, 2f, 1.5f }).unsqueeze(0);
        using var kept = Sampler.TopK(logits, 2);
        var finite = kept[0].isfinite().data<bool>().ToArray();
        Assert.Equal(new[] { false, true, false, true, false }, finite);
    }

    [Fact]
    public void TopPKeepsTheSmallestSetReachingP()
    {
        // probabilities 0.5, 0.3, 0.15, 0.05
        using var logits = tensor(new[] { 0.5, 0.15, 0.3, 0.05 }).log().to(ScalarType.Float32).unsqueeze(0);
        Assert.Equal(new[] { true, false, false, false }, Sampler.TopP(logits, 0.5)[0].isfinite().data<bool>().ToArray());
        Assert.Equal(new[] { true, false, true, false }, Sampler.TopP(logits, 0.6)[0].isfinite().data<bool>().ToArray());
        Assert.Equal(new[] { true, true, true, false }, Sampler.TopP(logits, 0.9)[0].isfinite().data<bool>().ToArray());
        Assert.Equal(new[] { true, true, true, true }, Sampler.TopP(logits, 0.99)[0].isfinite().data<bool>().ToArray());
    }

    [Fact]
    public void TemperatureSoftmaxMatchesHandComputation()
    {
        using var u = tensor(new float[] { 2f, 1f, 0.5f });
        var p = Sampler.Probabilities(u, 1.0).data<float>().ToArray();
        var z = Math.Exp(2) + Math.Exp(1) + Math.Exp(0.5);
        Assert.Equal(Math.Exp(2) / z, p[0], 5);
    }

    private static Gpt Model()
    {
        manual_seed(7);
        var m = new Gpt(new GptConfig(VocabSize: 13, BlockSize: 32, Layers: 2, Heads: 2, Embed: 16));
        m.eval();
        return m;
    }

    [Fact]
    public void NearZeroTemperatureSamplingEqualsGreedy()
    {
        using var model = Model();
        using var prompt = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        using var greedy = TextGenerator.Generate(model, prompt, 20, SamplingOptions.Greedy);
        using var cold = TextGenerator.Generate(model, prompt, 20, new SamplingOptions(Temperature: 1e-4), generator: new Generator(3));
        Assert.Equal(greedy.data<long>().ToArray(), cold.data<long>().ToArray());
    }

    [Fact]
    public void CacheAndNoCacheAgreeTokenForTokenPastTheBlockSize()
    {
        using var model = Model();
        using var prompt = tensor(new long[] { 4, 5 }).unsqueeze(0);
        using var a = TextGenerator.Generate(model, prompt, 40, SamplingOptions.Greedy, useCache: true);
        using var b = TextGenerator.Generate(model, prompt, 40, SamplingOptions.Greedy, useCache: false);
        Assert.Equal(42, a.shape[1]);
        Assert.Equal(a.data<long>().ToArray(), b.data<long>().ToArray());
        using var c = TextGenerator.Generate(model, prompt, 20, new SamplingOptions(0.8, TopK: 5), true, new Generator(9));
        using var d = TextGenerator.Generate(model, prompt, 20, new SamplingOptions(0.8, TopK: 5), false, new Generator(9));
        Assert.Equal(c.data<long>().ToArray(), d.data<long>().ToArray());
    }

    [Fact]
    public void StopsAtAStopToken()
    {
        using var model = Model();
        using var prompt = tensor(new long[] { 4 }).unsqueeze(0);
        using var free = TextGenerator.Generate(model, prompt, 10, SamplingOptions.Greedy);
        var first = (int)free[0, 1].item<long>();
        using var stopped = TextGenerator.Generate(model, prompt, 10, SamplingOptions.Greedy, stopTokens: [first]);
        Assert.Equal(2, stopped.shape[1]);
    }
}
