using System.Text;

namespace SslCourse.Grading;

/// <summary>
/// RFC 4180 records of a CSV text: fields may be quoted, and a quoted field may hold commas, doubled quotes and line
/// breaks. Each record keeps its raw text, so a merge can copy rows byte for byte.
/// </summary>
internal static class CsvRecords
{
    /// <summary>One record: its fields (unquoted) and its text without the line break that ends it.</summary>
    public sealed record Record(IReadOnlyList<string> Fields, string Raw);

    /// <exception cref="FormatException">A quote left open at the end of the text.</exception>
    public static List<Record> Parse(string text)
    {
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var start = 0;
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }
                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                i++;
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    records.Add(new Record(fields, text[start..i].TrimEnd('\r')));
                    (fields, start) = ([], i + 1);
                    field.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        if (quoted)
        {
            throw new FormatException("a quoted field is never closed");
        }
        if (start < text.Length)
        {
            fields.Add(field.ToString());
            records.Add(new Record(fields, text[start..]));
        }
        return records;
    }
}
