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
        var suite = JUnitXml.Suite("notebooks",
            tests: results.Count + earlier.Count,
            failures: results.Count(r => !r.Passed) + earlier.Count(t => t.Element("failure") is not null),
            seconds: results.Sum(r => r.Seconds) + earlier.Sum(JUnitXml.SecondsOf),
            errors: 0);
        suite.Add(earlier);
        foreach (var r in results)
        {
            var testcase = JUnitXml.Case("notebooks", r.Name, r.Seconds);
            if (!r.Passed)
            {
                var f = r.FirstFailure;
                var message = FailureMessage(r);
                var details = f is null
                    ? message
                    : $"cell {f.Index} \"{f.FirstLine}\" {f.Status.ToString().ToUpperInvariant()}\n{f.Error}";
                testcase.Add(JUnitXml.Failure(message, details, type: f?.Status.ToString() ?? "Error"));
            }
            suite.Add(testcase);
        }
        JUnitXml.Write(path, suite);
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
                kept = JUnitXml.Load(full, "testcase").Where(t => !mine.Contains((string?)t.Attribute("name") ?? "")).ToList();
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

    private static string FirstLine(string s) => s.Split('\n')[0].TrimEnd('\r');
}
