namespace SslCourse.Models;

/// <summary>
/// The counted bigram language model p(x_t | x_{t−1}) = (n(x_{t−1}, x_t) + α) / (n(x_{t−1}) + αV), add-α (Laplace)
/// smoothed so unseen pairs keep non-zero probability — the baseline every neural LM must beat.
/// </summary>
public sealed class BigramModel
{
    private readonly double[,] _logProb;

    /// <summary>Counts pairs in <paramref name="ids"/>.</summary>
    public BigramModel(IReadOnlyList<int> ids, int vocabSize, double alpha = 1.0)
    {
        VocabSize = vocabSize;
        var counts = new double[vocabSize, vocabSize];
        for (int i = 1; i < ids.Count; i++) counts[ids[i - 1], ids[i]]++;
        _logProb = new double[vocabSize, vocabSize];
        for (int a = 0; a < vocabSize; a++)
        {
            double row = 0;
            for (int b = 0; b < vocabSize; b++) row += counts[a, b];
            for (int b = 0; b < vocabSize; b++) _logProb[a, b] = Math.Log((counts[a, b] + alpha) / (row + alpha * vocabSize));
        }
    }

    /// <summary>V.</summary>
    public int VocabSize { get; }

    /// <summary>log p(b | a).</summary>
    public double LogProb(int a, int b) => _logProb[a, b];

    /// <summary>Average negative log-likelihood (nats/token) of <paramref name="ids"/>[1..] given the previous token.</summary>
    public double Loss(IReadOnlyList<int> ids)
    {
        double sum = 0;
        for (int i = 1; i < ids.Count; i++) sum -= _logProb[ids[i - 1], ids[i]];
        return sum / (ids.Count - 1);
    }

    /// <summary>Perplexity exp(loss): the effective number of equally likely next tokens.</summary>
    public double Perplexity(IReadOnlyList<int> ids) => Math.Exp(Loss(ids));
}
