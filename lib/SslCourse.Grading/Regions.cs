using System.Text.RegularExpressions;

namespace SslCourse.Grading;

/// <summary>What a source line is to release and grading.</summary>
internal enum LineKind
{
    /// <summary>Ordinary code or text, shown to learners.</summary>
    Public,

    /// <summary>A BEGIN/END marker line.</summary>
    Marker,

    /// <summary>A <c>// STUB: code</c> line inside a solution region: released as <c>code</c>.</summary>
    Stub,

    /// <summary>Inside a solution region, or the code part of a single-line <c>// SOLUTION</c>.</summary>
    Solution,

    /// <summary>Inside a hidden-test region.</summary>
    Hidden,
}

/// <summary>One parsed source line: <see cref="Text"/> is what counts for leaks (the code part of a single-line solution).</summary>
internal sealed record SourceLine(string Raw, string Text, LineKind Kind, bool SingleLine);

/// <summary>A marker problem; the caller adds the file and cell.</summary>
internal sealed class RegionException(string message) : Exception(message);

/// <summary>
/// The authoring markers. Region form: <c>// BEGIN SOLUTION</c> … <c>// END SOLUTION</c> (released as its
/// <c>// STUB: code</c> lines, or else one <c>throw new NotImplementedException();</c>) and <c>// BEGIN HIDDEN TESTS</c>
/// … <c>// END HIDDEN TESTS</c> (released as nothing). Single-line form: <c>code // SOLUTION</c> (released as the
/// stub at the same indentation; consecutive ones become one stub). Markers may also start with <c>###</c> (nbgrader's
/// markdown form); markdown answers are released as "YOUR ANSWER HERE".
/// </summary>
internal static partial class Regions
{
    public const string CodeStub = "throw new NotImplementedException();";
    public const string MarkdownStub = "YOUR ANSWER HERE";

    [GeneratedRegex(@"^\s*(//|###)\s*(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS)\s*$")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"^(\s*)(\S.*?)\s*//\s*SOLUTION\s*$")]
    private static partial Regex SingleLineRegex();

    [GeneratedRegex(@"^(\s*)//\s*STUB:\s?(.*)$")]
    private static partial Regex StubRegex();

    [GeneratedRegex(@"^\s*(//|###)\s*(BEGIN|END)\s*(SOLUTION|HIDDEN)|^\s*//\s*SOLUTION\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex NearMissRegex();

    /// <exception cref="RegionException">Unbalanced, nested or malformed markers.</exception>
    public static List<SourceLine> Parse(string source)
    {
        var result = new List<SourceLine>();
        string? open = null;
        var lineNo = 0;
        foreach (var raw in source.Split('\n'))
        {
            lineNo++;
            var m = MarkerRegex().Match(raw);
            if (m.Success)
            {
                var (verb, what) = (m.Groups[2].Value, m.Groups[3].Value);
                if (verb == "BEGIN")
                {
                    if (open is not null)
                    {
                        throw new RegionException($"line {lineNo}: BEGIN {what} inside an open {open} region (regions do not nest)");
                    }
                    open = what;
                }
                else if (open != what)
                {
                    throw new RegionException(open is null
                        ? $"line {lineNo}: END {what} without a BEGIN {what}"
                        : $"line {lineNo}: END {what} closes a {open} region");
                }
                else
                {
                    open = null;
                }
                result.Add(new SourceLine(raw, raw.Trim(), LineKind.Marker, false));
                continue;
            }
            if (NearMissRegex().IsMatch(raw))
            {
                // "// BEGIN SOLUTIONS", "// begin solution": a typo would silently publish the answer.
                throw new RegionException($"line {lineNo}: malformed marker '{raw.Trim()}' (write // BEGIN SOLUTION, // END SOLUTION, // BEGIN HIDDEN TESTS, // END HIDDEN TESTS)");
            }
            var stub = StubRegex().Match(raw);
            if (stub.Success)
            {
                if (open != "SOLUTION")
                {
                    throw new RegionException($"line {lineNo}: '// STUB:' outside a solution region");
                }
                result.Add(new SourceLine(raw, stub.Groups[2].Value.Trim(), LineKind.Stub, false));
                continue;
            }
            if (open is not null)
            {
                result.Add(new SourceLine(raw, raw.Trim(), open == "SOLUTION" ? LineKind.Solution : LineKind.Hidden, false));
                continue;
            }
            var single = SingleLineRegex().Match(raw);
            result.Add(single.Success
                ? new SourceLine(raw, single.Groups[2].Value.Trim(), LineKind.Solution, true)
                : new SourceLine(raw, raw.Trim(), LineKind.Public, false));
        }
        if (open is not null)
        {
            throw new RegionException($"BEGIN {open} is never closed (add // END {open})");
        }
        return result;
    }

    /// <summary>The learner's version: solutions become stubs, hidden tests disappear.</summary>
    public static string Release(string source, bool markdown)
    {
        var lines = Parse(source);
        var output = new List<string>();
        var stubs = new List<string>();
        string? regionIndent = null;
        var lastWasSingleStub = false;
        foreach (var line in lines)
        {
            switch (line.Kind)
            {
                case LineKind.Public:
                    output.Add(line.Raw);
                    lastWasSingleStub = false;
                    break;
                case LineKind.Marker when line.Text.Contains("BEGIN SOLUTION", StringComparison.Ordinal):
                    regionIndent = Indent(line.Raw);
                    stubs.Clear();
                    break;
                case LineKind.Marker when line.Text.Contains("END SOLUTION", StringComparison.Ordinal):
                    output.AddRange(stubs.Count > 0 ? stubs : [regionIndent + (markdown ? MarkdownStub : CodeStub)]);
                    regionIndent = null;
                    lastWasSingleStub = false;
                    break;
                case LineKind.Stub:
                    stubs.Add(Indent(line.Raw) + line.Text);
                    break;
                case LineKind.Solution when line.SingleLine:
                    if (!lastWasSingleStub)
                    {
                        output.Add(Indent(line.Raw) + (markdown ? MarkdownStub : CodeStub));
                    }
                    lastWasSingleStub = true;
                    break;
                default:
                    // Solution-region lines, hidden tests and their markers are dropped.
                    break;
            }
        }
        return string.Join('\n', output);
    }

    /// <summary>The source without hidden tests (solutions kept): what <c>validate</c> runs from a master.</summary>
    public static string WithoutHidden(string source) =>
        string.Join('\n', Parse(source).Where(l => l.Kind != LineKind.Hidden && !(l.Kind == LineKind.Marker && l.Text.Contains("HIDDEN", StringComparison.Ordinal))).Select(l => l.Raw));

    /// <summary>True when the source has a hidden-test region.</summary>
    public static bool HasHidden(string source) => Parse(source).Any(l => l.Kind == LineKind.Hidden || l.Text.Contains("BEGIN HIDDEN", StringComparison.Ordinal) && l.Kind == LineKind.Marker);

    /// <summary>True when the source has a solution region or a single-line solution.</summary>
    public static bool HasSolution(string source) => Parse(source).Any(l => l.Kind is LineKind.Solution or LineKind.Stub || l.Kind == LineKind.Marker && l.Text.Contains("SOLUTION", StringComparison.Ordinal));

    /// <summary>
    /// Lines that must never appear in a released notebook, compared trimmed. A line counts unless it is trivial:
    /// empty, only brackets and separators (<c>{ } ( ) [ ] ; ,</c>), an empty <c>//</c> comment, or a marker.
    /// </summary>
    public static bool IsTrivial(string trimmed) =>
        trimmed.Length == 0
        || trimmed.All(c => "{}()[];,".Contains(c))
        || trimmed.TrimStart('/').Trim().Length == 0
        || MarkerRegex().IsMatch(trimmed);

    private static string Indent(string raw) => raw[..(raw.Length - raw.TrimStart().Length)];
}
