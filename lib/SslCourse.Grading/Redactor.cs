using System.Text.Json.Nodes;

namespace SslCourse.Grading;

/// <summary>
/// Removes hidden-test text from whatever goes back to a learner. Hidden tests run only in the judge, never in the
/// learner's process, but the judge's own messages (a failing check's paragraph, a compile error) could quote one;
/// every non-trivial hidden-test line of the master (one that does not also appear outside the regions) found in an
/// output or message becomes "[hidden test]".
/// </summary>
internal sealed class Redactor
{
    private const string Mark = "[hidden test]";
    private readonly List<string> _lines;

    private Redactor(List<string> lines) => _lines = lines;

    public static Redactor For(MasterNotebook master)
    {
        var publicLines = new HashSet<string>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in master.Doc.Cells)
        {
            foreach (var line in Regions.Parse(cell.Source))
            {
                if (line.Kind == LineKind.Public)
                {
                    publicLines.Add(line.Text);
                }
                else if (line.Kind == LineKind.Hidden && !Regions.IsTrivial(line.Text) && line.Text.Length >= 8)
                {
                    hidden.Add(line.Text);
                }
            }
        }
        // Longest first, so a line that contains another is redacted whole.
        return new Redactor(hidden.Where(l => !publicLines.Contains(l)).OrderByDescending(l => l.Length).ToList());
    }

    public string Redact(string text)
    {
        foreach (var line in _lines)
        {
            if (text.Contains(line, StringComparison.Ordinal))
            {
                text = text.Replace(line, Mark, StringComparison.Ordinal);
            }
        }
        return text;
    }

    /// <summary>A redacted copy of an output tree.</summary>
    public JsonNode? Redact(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Redact(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Redact).ToArray()),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Redact(s)),
        _ => node?.DeepClone(),
    };
}
