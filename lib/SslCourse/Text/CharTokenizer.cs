namespace SslCourse.Text;

/// <summary>One id per distinct character of a corpus, sorted (Karpathy's char-rnn and nanoGPT's shakespeare_char).</summary>
public sealed class CharTokenizer : ITokenizer
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    /// <summary>Builds the vocabulary from the characters of <paramref name="corpus"/>.</summary>
    public CharTokenizer(string corpus)
    {
        _chars = corpus.Distinct().Order().ToArray();
        _ids = _chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The characters, in id order.</summary>
    public IReadOnlyList<char> Chars => _chars;

    /// <inheritdoc/>
    public int VocabSize => _chars.Length;

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = _ids.TryGetValue(text[i], out var id) ? id
                : throw new ArgumentException($"character U+{(int)text[i]:X4} at index {i} is not in the vocabulary");
        return ids;
    }

    /// <inheritdoc/>
    public string Decode(IReadOnlyList<int> ids) => new(ids.Select(i => _chars[i]).ToArray());
}
