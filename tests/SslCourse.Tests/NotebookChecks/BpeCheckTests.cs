using SslCourse.Text;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_2's check (cell tok-08b): the BPE trainer written out in the notebook (minbpe's loop) learns the library's merges
/// in the library's order and encodes as the library's tokenizer does. The same check fails plausible broken trainers.
/// </summary>
public sealed class BpeCheckTests
{
    public enum Bug { None, OverlappingMerge, FirstOccurrenceTies, PiecesCountedOnce }

    // The notebook's trainer, with one optional bug.
    private static (List<(string, string)> Merges, Func<string, int[]> Encode) WrittenOut(string text, int vocabSize, Bug bug)
    {
        List<int> Merge(List<int> ids, (int, int) pair, int id)
        {
            var merged = new List<int>(ids.Count);
            for (int i = 0; i < ids.Count;)
                if (i + 1 < ids.Count && ids[i] == pair.Item1 && ids[i + 1] == pair.Item2) { merged.Add(id); i += bug == Bug.OverlappingMerge ? 1 : 2; }
                else merged.Add(ids[i++]);
            return merged;
        }
        var bytesOf = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToList();
        string Shown(int id) => new(bytesOf[id].Select(b => ByteLevel.ByteToChar[b]).ToArray());
        var pieces = ByteLevel.PreTokenizer().Matches(text).GroupBy(m => m.Value)
            .Select(g => (Ids: System.Text.Encoding.UTF8.GetBytes(g.Key).Select(b => (int)b).ToList(), Count: bug == Bug.PiecesCountedOnce ? 1 : g.Count(), First: g.First().Index))
            .OrderBy(p => p.First).ToArray();
        var merges = new List<(int, int)>();
        while (256 + merges.Count < vocabSize)
        {
            var stats = new Dictionary<(int, int), long>();   // insertion order = first occurrence in the text
            foreach (var (ids, count, _) in pieces)
                for (int i = 0; i + 1 < ids.Count; i++) stats[(ids[i], ids[i + 1])] = stats.GetValueOrDefault((ids[i], ids[i + 1])) + count;
            var top = stats.Count == 0 ? 0 : stats.Values.Max();
            if (top < 2) break;
            var tied = stats.Where(s => s.Value == top).Select(s => s.Key);
            var pair = bug == Bug.FirstOccurrenceTies ? tied.First()
                : tied.OrderBy(p => Shown(p.Item1), StringComparer.Ordinal).ThenBy(p => Shown(p.Item2), StringComparer.Ordinal).First();
            bytesOf.Add([.. bytesOf[pair.Item1], .. bytesOf[pair.Item2]]);
            merges.Add(pair);
            for (int j = 0; j < pieces.Length; j++) pieces[j].Ids = Merge(pieces[j].Ids, pair, bytesOf.Count - 1);
        }
        var rank = merges.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        int[] Encode(string s) => ByteLevel.PreTokenizer().Matches(s).SelectMany(m =>
        {
            var ids = System.Text.Encoding.UTF8.GetBytes(m.Value).Select(b => (int)b).ToList();
            while (true)
            {
                var candidates = ids.Zip(ids.Skip(1)).Where(rank.ContainsKey).ToList();
                if (candidates.Count == 0) return ids;
                var first = candidates.MinBy(p => rank[p]);
                ids = Merge(ids, first, 256 + rank[first]);
            }
        }).ToArray();
        return (merges.Select(p => (Shown(p.Item1), Shown(p.Item2))).ToList(), Encode);
    }

    // The notebook's check: same merges in the same order, same ids as the library's tokenizer.
    private static bool Check(string text, int vocabSize, Bug bug)
    {
        var library = BpeTextTokenizer.Train(text, vocabSize);
        var (merges, encode) = WrittenOut(text, vocabSize, bug);
        var probe = text[..Math.Min(400, text.Length)] + " zzzz aaaa";
        return merges.SequenceEqual(library.Model.Merges) && encode(probe).SequenceEqual(library.Encode(probe));
    }

    // Words over few letters with long runs of one letter and many equally frequent pairs.
    private static string Corpus()
    {
        var rng = new Random(3);
        var words = Enumerable.Range(0, 60).Select(_ => new string(Enumerable.Range(0, rng.Next(2, 7)).Select(_ => "aabcde"[rng.Next(6)]).ToArray())).ToArray();
        var text = string.Join(" ", Enumerable.Range(0, 3000).Select(_ => words[rng.Next(words.Length)]));
        return "zz yx " + text + " aaaa aaaaa yx zz";
    }

    [Fact]
    public void The_written_out_trainer_passes()
    {
        Assert.True(Check(Corpus(), 330, Bug.None));
    }

    [Theory]
    [InlineData(Bug.OverlappingMerge)]
    [InlineData(Bug.FirstOccurrenceTies)]
    [InlineData(Bug.PiecesCountedOnce)]
    public void A_broken_trainer_fails(Bug bug)
    {
        Assert.False(Check(Corpus(), 330, bug));
    }
}
