using SslCourse.Text;

namespace SslCourse.Tests.Text;

public sealed class TokenizerTests
{
    private const string Corpus = "the cat sat on the mat. the cat ate the rat! that's the thing, isn't it?\n  the end   of the theme.";

    [Fact]
    public void CharTokenizerRoundTrips()
    {
        var t = new CharTokenizer(Corpus);
        Assert.Equal("the rat sat", t.Decode(t.Encode("the rat sat")));
        Assert.Throws<ArgumentException>(() => t.Encode("Z"));
    }

    [Theory]
    [InlineData("Hello, wörld! 👋🏽 你好世界 e\u0301 \u00e9")]
    [InlineData("  \t\n\n   spaces    runs \r\n")]
    [InlineData("the cat's hat 😀😀 ∑ x² ← → 🇫🇷")]
    [InlineData("")]
    public void BpeRoundTripsArbitraryUnicode(string text)
    {
        var t = BpeTextTokenizer.Train(Corpus, 300);
        Assert.Equal(text, t.Decode(t.Encode(text)));
    }

    [Fact]
    public void BpeTrainingIsDeterministicAndCompresses()
    {
        var a = BpeTrainer.Train(Corpus, 260);
        var b = BpeTrainer.Train(Corpus, 260);
        Assert.Equal(a.Merges, b.Merges);
        Assert.Equal(260, a.Vocabulary.Count);
        Assert.Equal(("t", "h"), a.Merges[0]); // "th" is the most frequent pair of this corpus
        var tok = new BpeTextTokenizer(a);
        Assert.True(tok.Encode(Corpus).Length < System.Text.Encoding.UTF8.GetByteCount(Corpus) - 20);
    }

    [Fact]
    public void Gpt2TokenizerMatchesOpenAi()
    {
        var t = new Gpt2Tokenizer();
        Assert.Equal(new[] { 15496, 995 }, t.Encode("Hello world"));
        Assert.Equal("Hello world", t.Decode([15496, 995]));
    }
}
