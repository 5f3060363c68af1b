using System.Net;
using System.Text;

namespace SslCourse.Grading;

/// <summary>
/// Learner strings (messages, notes, names, anything a notebook's code produced) made inert in each report format:
/// Markdown (HTML tags as entities; table pipes, emphasis, links, headings and code marks escaped), HTML (entities), CSV (quoted, and a
/// leading <c>= + - @</c>, tab or carriage return neutralised with an apostrophe so a spreadsheet never evaluates a
/// cell as a formula, as OWASP's CSV-injection advice says). Control characters (ESC, BEL, …) are dropped everywhere.
/// </summary>
internal static class ReportText
{
    // What can start markup anywhere in a line (emphasis, code, links, tables, headings, strikethrough, escapes).
    private const string MarkdownSpecial = "\\`*_[]#|~";

    /// <summary>Without control characters other than newline and tab.</summary>
    public static string Printable(string s)
    {
        if (!s.Any(IsControl))
        {
            return s;
        }
        return new string(s.Where(c => !IsControl(c)).ToArray());
    }

    /// <summary>Text for Markdown: every character Markdown or inline HTML could act on is escaped.</summary>
    public static string Markdown(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in Printable(s))
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\t': sb.Append(' '); break;
                default:
                    if (MarkdownSpecial.Contains(c, StringComparison.Ordinal))
                    {
                        sb.Append('\\');
                    }
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Text for HTML content or attribute values.</summary>
    public static string Html(string s) => WebUtility.HtmlEncode(Printable(s));

    /// <summary>One CSV field: formula prefixes neutralised, quoted when it holds a separator, quote or line break.</summary>
    public static string Csv(string s)
    {
        s = Printable(s);
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            s = "'" + s;
        }
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static bool IsControl(char c) => char.IsControl(c) && c is not '\n' and not '\t';
}
