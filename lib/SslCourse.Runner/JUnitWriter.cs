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
    public static void Write(string path, IReadOnlyList<NotebookResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var suite = new XElement("testsuite",
            new XAttribute("name", "notebooks"),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", results.Count(r => !r.Passed)),
            new XAttribute("errors", 0),
            new XAttribute("time", results.Sum(r => r.Seconds).ToString("0.000", inv)));
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
