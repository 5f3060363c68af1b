using System.Text.RegularExpressions;

namespace SslCourse.Data;

/// <summary>
/// A downstream classification task derivable offline from any corpus: is this passage real text (label 1) or the
/// same kind of passage with its words shuffled (label 0)? Both classes have the same characters and word counts,
/// so only word order tells them apart — knowledge a pretrained language model has and a fresh model must learn
/// from the labels.
/// </summary>
public static partial class WordOrderTask
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>
    /// <paramref name="count"/> passages of exactly <paramref name="length"/> characters cut from
    /// <paramref name="text"/> (whitespace collapsed to single spaces), half of them word-shuffled; balanced, in random order.
    /// </summary>
    public static (string[] Passages, int[] Labels) Make(string text, int count, int length, int seed)
    {
        var rng = new Random(seed);
        var passages = new string[count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            var start = rng.Next(0, text.Length - 4 * length);
            var window = Spaces().Replace(text.Substring(start, 3 * length), " ").Trim();
            var words = window.Split(' ');
            words = words[1..]; // drop the (probably cut) first word
            labels[i] = i % 2;
            if (labels[i] == 0) rng.Shuffle(words);
            var joined = string.Join(' ', words);
            passages[i] = joined.Length >= length ? joined[..length] : joined.PadRight(length);
        }
        // Shuffle the order so batches are mixed.
        var order = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(order);
        return (order.Select(i => passages[i]).ToArray(), order.Select(i => labels[i]).ToArray());
    }
}
