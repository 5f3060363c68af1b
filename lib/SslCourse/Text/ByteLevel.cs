using System.Text.RegularExpressions;

namespace SslCourse.Text;

/// <summary>
/// GPT-2's byte-level conventions (Radford et al., 2019): every byte maps to a printable character, so any UTF-8
/// text becomes a string over 256 symbols with no unknown token; text is first split into word-like pieces.
/// </summary>
public static partial class ByteLevel
{
    /// <summary>GPT-2's pre-tokenisation pattern: contractions, words, numbers, punctuation runs, whitespace.</summary>
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The compiled pre-tokenisation regex.</summary>
    [GeneratedRegex(Pattern)]
    public static partial Regex PreTokenizer();

    /// <summary>byte → printable char, as GPT-2's bytes_to_unicode: printable Latin-1 bytes stay, others shift to 256+.</summary>
    public static IReadOnlyList<char> ByteToChar { get; } = BuildMap();

    private static char[] BuildMap()
    {
        var map = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            var keep = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = keep ? (char)b : (char)(256 + n++);
        }
        return map;
    }

    /// <summary>A piece of text → its UTF-8 bytes as mapped characters.</summary>
    public static string Map(string piece) => new(System.Text.Encoding.UTF8.GetBytes(piece).Select(b => ByteToChar[b]).ToArray());
}
