namespace SslCourse.Text;

/// <summary>Text ↔ token ids: what a language model reads and writes.</summary>
public interface ITokenizer
{
    /// <summary>Number of distinct ids (the model's V).</summary>
    int VocabSize { get; }

    /// <summary>Text → ids.</summary>
    int[] Encode(string text);

    /// <summary>Ids → text.</summary>
    string Decode(IReadOnlyList<int> ids);
}
