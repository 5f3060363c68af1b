using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public sealed class MaskedLmTests
{
    [Fact]
    public void MaskingFollowsBertsRates()
    {
        using var gen = new Generator(5);
        using var tokens = randint(0, 50, [200, 100], generator: gen);
        var (input, targets) = BertMasking.Apply(tokens, maskId: 50, vocabSize: 50, gen);
        var chosen = targets.ge(0);
        double n = chosen.sum().item<long>();
        Assert.InRange(n / tokens.numel(), 0.14, 0.16);
        Assert.InRange(input.eq(50).sum().item<long>() / n, 0.77, 0.83);
        Assert.InRange((chosen & input.eq(tokens)).sum().item<long>() / n, 0.08, 0.13);   // 10% kept + 1/50 of the random 10%
        Assert.Equal(0, (chosen.logical_not() & input.ne(tokens)).sum().item<long>());
        Assert.True(targets[chosen].eq(tokens[chosen]).all().item<bool>());
        Assert.True(targets[chosen.logical_not()].eq(-1).all().item<bool>());
    }

    [Fact]
    public void AnEncoderReadsBothSidesAndItsPathsAgree()
    {
        manual_seed(6);
        var config = new GptConfig(VocabSize: 11, BlockSize: 12, Layers: 2, Heads: 2, Embed: 16, Causal: false);
        using var encoder = new Gpt(config);
        encoder.eval();
        using var idx = randint(0, 11, [2, 10]);
        using var a = encoder.forward(idx);
        using var edited = idx.clone();
        edited[.., -1] = (idx[.., -1] + 1) % 11;
        using var b = encoder.forward(edited);
        Assert.False(a[.., 0].allclose(b[.., 0], atol: 1e-6), "position 0 must see the last token in an encoder");
        encoder.UseExplicitAttention(true);
        using var c = encoder.forward(idx);
        Assert.True(a.allclose(c, rtol: 1e-4, atol: 1e-5));
    }
}
