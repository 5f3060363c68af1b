using System.Globalization;
using System.Xml.Linq;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Writes a JUnit XML report: one testsuite, one testcase per notebook.</summary>
public static class JUnitWriter
{
    /// <summary>Writes the report atomically.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="results">One result per notebook.</param>
    public static void Write(string path, IReadOnlyList<NotebookResult> results) => Write(path, results, []);

    private static void Write(string path, IReadOnlyList<NotebookResult> results, IReadOnlyList<XElement> earlier)
    {
        var inv = CultureInfo.InvariantCulture;
        var suite = new XElement("testsuite",
            new XAttribute("name", "notebooks"),
            new XAttribute("tests", results.Count + earlier.Count),
            new XAttribute("failures", results.Count(r => !r.Passed) + earlier.Count(t => t.Element("failure") is not null)),
            new XAttribute("errors", 0),
            new XAttribute("time", (results.Sum(r => r.Seconds) + earlier.Sum(t => double.TryParse((string?)t.Attribute("time"), NumberStyles.Float, inv, out var s) ? s : 0)).ToString("0.000", inv)));
        suite.Add(earlier);
        foreach (var r in results)
        {
            var testcase = new XElement("testcase",
                new XAttribute("classname", "notebooks"),
                new XAttribute("name", r.Name),
                new XAttribute("time", r.Seconds.ToString("0.000", inv)));
            if (!r.Passed)
            {
                var f = r.FirstFailure;
                var message = FailureMessage(r);
                var details = f is null
                    ? message
                    : $"cell {f.Index} \"{f.FirstLine}\" {f.Status.ToString().ToUpperInvariant()}\n{f.Error}";
                testcase.Add(new XElement("failure",
                    new XAttribute("message", XmlSafe(message)),
                    new XAttribute("type", f?.Status.ToString() ?? "Error"),
                    XmlSafe(details)));
            }
            suite.Add(testcase);
        }
        AtomicFile.WriteAllText(path, new XDocument(new XDeclaration("1.0", "utf-8", null), suite).ToString() + "\n");
    }

    /// <summary>
    /// Adds <paramref name="results"/> to the report at <paramref name="path"/> under an exclusive lock, replacing
    /// earlier entries of the same notebooks: two runs writing to the same folder at once both keep their entries.
    /// </summary>
    /// <param name="path">Destination file.</param>
    /// <param name="results">This run's results.</param>
    public static void Merge(string path, IReadOnlyList<NotebookResult> results)
    {
        var full = Path.GetFullPath(path);
        using var gate = Lock(full + ".lock");
        var mine = results.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<XElement>();
        if (File.Exists(full))
        {
            try
            {
                kept = XDocument.Load(full).Root?.Elements("testcase").Where(t => !mine.Contains((string?)t.Attribute("name") ?? "")).ToList() ?? [];
            }
            catch (System.Xml.XmlException)
            {
                // A report this tool did not write (or a torn one from an old version) is replaced.
            }
        }
        Write(full, results, kept);
        try
        {
            File.Delete(full + ".lock");
        }
        catch (IOException)
        {
            // Another run holds it now; it deletes it when done.
        }
    }

    private static FileStream Lock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>One-line description of why a notebook failed: <c>cell N "first line" : message</c>.</summary>
    /// <param name="r">A failed result.</param>
    public static string FailureMessage(NotebookResult r) =>
        r.FirstFailure is { } f
            ? $"cell {f.Index} \"{f.FirstLine}\" : {FirstLine(f.Error ?? f.Status.ToString())}"
            : FirstLine(r.Error ?? "failed");

    // Notebook errors may carry ANSI escapes and other control characters that XML 1.0 cannot hold.
    private static string XmlSafe(string s) =>
        string.Concat(s.Select(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF') ? c : '?'));

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r');
}
