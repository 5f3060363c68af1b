namespace SslCourse.Grading;

/// <summary>An identifier in C# source: its text, position, what precedes it, and the bracket depth it sits at.</summary>
/// <param name="Name">The identifier (without a leading <c>@</c>).</param>
/// <param name="Start">Index of its first character in the source.</param>
/// <param name="Qualified">True when it follows <c>.</c>, <c>::</c> or <c>?.</c> (a member, not a name lookup).</param>
/// <param name="Depth">Nesting depth in braces and parentheses (0 = a top-level statement or declaration).</param>
/// <param name="Next">The next non-space character after it (or '\0').</param>
internal sealed record Identifier(string Name, int Start, bool Qualified, int Depth, char Next);

/// <summary>
/// A small C# scanner for the grader: the identifiers of a cell outside comments, strings and character literals.
/// It is not a parser; it is enough to find which names a check cell looks up and which names a cell declares.
/// </summary>
internal static class CSharpTokens
{
    public static List<Identifier> Identifiers(string s)
    {
        var result = new List<Identifier>();
        var depth = 0;
        var i = 0;
        char prev = '\0', prev2 = '\0';
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;
                continue;
            }
            if (c == '"' || c == '\'' || ((c == '$' || c == '@') && i + 1 < s.Length && (s[i + 1] == '"' || s[i + 1] is '$' or '@')))
            {
                i = SkipLiteral(s, i);
                prev2 = prev;
                prev = '"';
                continue;
            }
            if (char.IsLetter(c) || c == '_' || (c == '@' && i + 1 < s.Length && (char.IsLetter(s[i + 1]) || s[i + 1] == '_')))
            {
                var start = c == '@' ? i + 1 : i;
                var j = start;
                while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] == '_')) j++;
                var k = j;
                while (k < s.Length && char.IsWhiteSpace(s[k])) k++;
                var qualified = prev == '.' || (prev == ':' && prev2 == ':');
                result.Add(new Identifier(s[start..j], start, qualified, depth, k < s.Length ? s[k] : '\0'));
                i = j;
                prev2 = prev;
                prev = 'a';
                continue;
            }
            if (char.IsDigit(c))
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_' || s[i] == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1]))) i++;
                prev2 = prev;
                prev = '0';
                continue;
            }
            if (c is '{' or '(' or '[') depth++;
            if (c is '}' or ')' or ']') depth = Math.Max(0, depth - 1);
            if (!char.IsWhiteSpace(c))
            {
                prev2 = prev;
                prev = c;
            }
            i++;
        }
        return result;
    }

    /// <summary>
    /// The source with comments and the contents of string and character literals replaced by spaces (newlines and
    /// the quotes kept), so that regular expressions and bracket counting see only code, at the same positions.
    /// </summary>
    public static string Blank(string s)
    {
        var chars = s.ToCharArray();
        void Clear(int from, int to)
        {
            for (var k = from; k < to && k < chars.Length; k++)
            {
                if (chars[k] != '\n') chars[k] = ' ';
            }
        }
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                var end = s.IndexOf('\n', i);
                end = end < 0 ? s.Length : end;
                Clear(i, end);
                i = end;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                Clear(i, end);
                i = end;
            }
            else if (c == '"' || c == '\'' || ((c == '$' || c == '@') && i + 1 < s.Length && (s[i + 1] == '"' || s[i + 1] is '$' or '@')))
            {
                var end = SkipLiteral(s, i);
                Clear(i + 1, end - 1);
                i = end;
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                // Skip the whole word: '@' and quotes inside identifiers and numbers start nothing.
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
            }
            else
            {
                i++;
            }
        }
        return new string(chars);
    }

    /// <summary>Index just after the string or character literal starting at <paramref name="i"/>.</summary>
    private static int SkipLiteral(string s, int i)
    {
        var verbatim = false;
        var interpolated = false;
        while (i < s.Length && s[i] is '$' or '@')
        {
            verbatim |= s[i] == '@';
            interpolated |= s[i] == '$';
            i++;
        }
        var quote = s[i];
        if (quote == '"' && i + 2 < s.Length && s[i + 1] == '"' && s[i + 2] == '"')
        {
            // Raw string literal: as many quotes close it as opened it.
            var n = 0;
            while (i < s.Length && s[i] == '"') { n++; i++; }
            var close = s.IndexOf(new string('"', n), i, StringComparison.Ordinal);
            return close < 0 ? s.Length : close + n;
        }
        i++;
        var holes = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (interpolated && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{' && holes == 0) { i += 2; continue; }
                holes++;
            }
            else if (interpolated && c == '}' && holes > 0)
            {
                holes--;
            }
            else if (!verbatim && c == '\\')
            {
                i += 2;
                continue;
            }
            else if (c == quote && holes == 0)
            {
                if (verbatim && i + 1 < s.Length && s[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            else if (c == '\n' && !verbatim)
            {
                return i;
            }
            i++;
        }
        return i;
    }
}
