namespace SslCourse.Text;

/// <summary>A learned byte-level BPE model: the merges in order and the vocabulary (256 bytes, then one id per merge).</summary>
/// <param name="Merges">Pairs of mapped-symbol strings, merged in this order.</param>
/// <param name="Vocabulary">Token (mapped characters) → id.</param>
public sealed record BpeModel(IReadOnlyList<(string Left, string Right)> Merges, IReadOnlyDictionary<string, int> Vocabulary);

/// <summary>
/// Learns byte-pair-encoding merges (Sennrich et al., 2016) over GPT-2-style byte-level symbols: repeatedly merge the
/// most frequent adjacent pair inside pre-tokenised pieces. Ties break by the pair's ordinal string order, so
/// training is deterministic.
/// </summary>
public static class BpeTrainer
{
    /// <summary>Learns merges until the vocabulary has <paramref name="vocabSize"/> tokens (≥ 256) or no pair repeats.</summary>
    public static BpeModel Train(string corpus, int vocabSize)
    {
        if (vocabSize < 256) throw new ArgumentOutOfRangeException(nameof(vocabSize), "a byte-level vocabulary has at least 256 tokens");
        // Distinct pieces with their counts; each piece is a list of symbols.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in ByteLevel.PreTokenizer().Matches(corpus))
        {
            var key = ByteLevel.Map(m.Value);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var words = counts.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (Symbols: p.Key.Select(c => c.ToString()).ToList(), Count: p.Value)).ToList();
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++) vocab[ByteLevel.ByteToChar[b].ToString()] = b;
        var merges = new List<(string, string)>();
        while (vocab.Count < vocabSize)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (s, c) in words)
                for (int i = 0; i + 1 < s.Count; i++)
                {
                    var key = (s[i], s[i + 1]);
                    pairs[key] = pairs.GetValueOrDefault(key) + c;
                }
            (string L, string R) best = default;
            long bestCount = 1; // a pair must occur at least twice to be worth a token
            foreach (var (p, c) in pairs)
                if (c > bestCount || (c == bestCount && bestCount > 1 && Compare(p, best) < 0)) { best = p; bestCount = c; }
            if (bestCount < 2) break;
            var merged = best.L + best.R;
            merges.Add(best);
            vocab.TryAdd(merged, vocab.Count);
            foreach (var (s, _) in words)
                for (int i = 0; i + 1 < s.Count; i++)
                    if (s[i] == best.L && s[i + 1] == best.R) { s[i] = merged; s.RemoveAt(i + 1); }
        }
        return new BpeModel(merges, vocab);
    }

    private static int Compare((string, string) a, (string, string) b)
    {
        var c = string.CompareOrdinal(a.Item1, b.Item1);
        return c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2);
    }
}
