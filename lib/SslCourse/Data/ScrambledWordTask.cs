using System.Text.RegularExpressions;

namespace SslCourse.Data;

/// <summary>
/// A downstream classification task derivable offline from any corpus: does the passage end in a real word (label 1)
/// or in the same word with its inner letters scrambled (label 0), e.g. "...the whale" vs "...the wahle"? Both
/// classes have the same letters and lengths, so only spelling tells them apart: knowledge a character language
/// model acquires in pretraining, and that sits in its last hidden state, where the finetuning head reads.
/// </summary>
public static partial class ScrambledWordTask
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\b[A-Za-z]{5,}\b")]
    private static partial Regex LongWords();

    /// <summary>
    /// <paramref name="count"/> passages of exactly <paramref name="length"/> characters cut from
    /// <paramref name="text"/> (whitespace collapsed), each ending at the last letter of a word of five or more
    /// letters; in every second one (before shuffling the order) that word's letters between the first and the
    /// last are permuted until they differ from the original. Returns the passages, the labels and the final words.
    /// </summary>
    /// <exception cref="ArgumentException">The text is too short or has no words of five letters.</exception>
    public static (string[] Passages, int[] Labels, string[] LastWords) Make(string text, int count, int length, int seed)
    {
        if (text.Length < 4 * length)
            throw new ArgumentException($"the text has {text.Length} characters; passages of {length} need at least {4 * length}", nameof(text));
        var rng = new Random(seed);
        var items = new (string Passage, int Label, string Word)[count];
        for (int i = 0, tries = 0; i < count; tries++)
        {
            if (tries > 100 * count + 1000) throw new ArgumentException("the text has too few words of five or more letters with distinct inner letters", nameof(text));
            var start = rng.Next(0, text.Length - 3 * length);
            var window = Spaces().Replace(text.Substring(start, 3 * length), " ");
            var words = LongWords().Matches(window).Where(m => m.Index + m.Length >= length).ToList();
            if (words.Count == 0) continue;
            var word = words[rng.Next(words.Count)];
            var passage = window.Substring(word.Index + word.Length - length, length);
            var label = i % 2;
            if (label == 0)
            {
                var scrambled = Scramble(word.Value, rng);
                if (scrambled is null) continue;
                passage = passage[..^word.Length] + scrambled;
            }
            items[i++] = (passage, label, word.Value);
        }
        rng.Shuffle(items);   // mixed batches
        return (items.Select(t => t.Passage).ToArray(), items.Select(t => t.Label).ToArray(), items.Select(t => t.Word).ToArray());
    }

    /// <summary>The word with its inner letters permuted into a different order, or null when every order is the same (e.g. "seeed").</summary>
    public static string? Scramble(string word, Random rng)
    {
        var inner = word[1..^1].ToCharArray();
        if (inner.Distinct().Count() < 2) return null;
        string result;
        do { rng.Shuffle(inner); result = word[0] + new string(inner) + word[^1]; } while (result == word);
        return result;
    }
}
