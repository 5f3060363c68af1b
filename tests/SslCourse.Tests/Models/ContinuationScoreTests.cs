using SslCourse.Models;
using SslCourse.Text;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public sealed class ContinuationScoreTests
{
    private static readonly CharTokenizer Tok = new("abcdefgh :\n");

    [Fact]
    public void EqualsTheChainRuleComputedTokenByToken()
    {
        manual_seed(11);
        using var model = new Gpt(new GptConfig(Tok.VocabSize, BlockSize: 16, Layers: 1, Heads: 2, Embed: 16));
        model.eval();
        var score = ContinuationScore.LogProb(model, Tok, "abc d", "ef:");
        double expected = 0;
        var ids = Tok.Encode("abc def:");
        for (int t = 5; t < ids.Length; t++)
        {
            using var prefix = tensor(ids[..t].Select(i => (long)i).ToArray()).unsqueeze(0);
            using var logp = nn.functional.log_softmax(model.forward(prefix)[0, -1], -1);
            expected += logp[ids[t]].item<float>();
        }
        Assert.Equal(expected, score, 4);
        Assert.True(score < 0);
    }

    [Fact]
    public void CropsALongContextFromTheLeft()
    {
        manual_seed(12);
        using var model = new Gpt(new GptConfig(Tok.VocabSize, BlockSize: 8, Layers: 1, Heads: 2, Embed: 16));
        var longContext = ContinuationScore.LogProb(model, Tok, "hgfedcba abcdef", "gh");
        var cropped = ContinuationScore.LogProb(model, Tok, " abcdef", "gh"); // the last 7 = block + 1 − 2 characters
        Assert.Equal(cropped, longContext, 5);
        Assert.Throws<ArgumentException>(() => ContinuationScore.LogProb(model, Tok, "a", "abcdefgha"));   // 9 > block size 8
    }
}
