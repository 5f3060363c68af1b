using Microsoft.ML.Tokenizers;

namespace SslCourse.Text;

/// <summary>
/// The course's learned byte-level BPE (<see cref="BpeTrainer"/>) served by Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> (which can load but not train a BPE model).
/// </summary>
public sealed class BpeTextTokenizer : ITokenizer
{
    private readonly BpeTokenizer _inner;

    /// <summary>Wraps a learned model.</summary>
    public BpeTextTokenizer(BpeModel model)
    {
        Model = model;
        var options = new BpeOptions(model.Vocabulary)
        {
            Merges = model.Merges.Select(m => $"{m.Left} {m.Right}").ToList(),
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(ByteLevel.PreTokenizer(), null),
        };
        _inner = BpeTokenizer.Create(options);
    }

    /// <summary>Learns a model from <paramref name="corpus"/> and wraps it.</summary>
    public static BpeTextTokenizer Train(string corpus, int vocabSize) => new(BpeTrainer.Train(corpus, vocabSize));

    /// <summary>The learned merges and vocabulary.</summary>
    public BpeModel Model { get; }

    /// <inheritdoc/>
    public int VocabSize => Model.Vocabulary.Count;

    /// <inheritdoc/>
    public int[] Encode(string text) => _inner.EncodeToIds(text).ToArray();

    /// <inheritdoc/>
    public string Decode(IReadOnlyList<int> ids) => _inner.Decode(ids);
}
