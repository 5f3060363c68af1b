using System.Globalization;
using System.Xml.Linq;

namespace SslCourse.Notebooks;

/// <summary>
/// The JUnit XML that the runner and the grader both write: testsuites / testsuite / testcase elements with failure
/// and skipped children, times in seconds to three decimals, message text made XML 1.0-safe, files written atomically.
/// </summary>
public static class JUnitXml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A <c>testsuites</c> root holding <paramref name="suites"/>.</summary>
    /// <param name="name">The root's name attribute.</param>
    /// <param name="suites">The <c>testsuite</c> elements, in file order.</param>
    public static XElement Suites(string name, IEnumerable<XElement> suites) => new("testsuites", new XAttribute("name", name), suites);

    /// <summary>An empty <c>testsuite</c> element; add its test cases to it.</summary>
    /// <param name="name">Suite name.</param>
    /// <param name="tests">Number of test cases.</param>
    /// <param name="failures">Number of failed test cases.</param>
    /// <param name="seconds">Total time.</param>
    /// <param name="errors">The errors attribute, written only when given (the runner reports it, the grader not).</param>
    /// <param name="skipped">The skipped attribute, written only when given.</param>
    public static XElement Suite(string name, int tests, int failures, double seconds, int? errors = null, int? skipped = null) =>
        new("testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", tests),
            new XAttribute("failures", failures),
            errors is { } e ? new XAttribute("errors", e) : null,
            skipped is { } s ? new XAttribute("skipped", s) : null,
            new XAttribute("time", Seconds(seconds)));

    /// <summary>A <c>testcase</c> element; a failure or skipped child marks it as not passed.</summary>
    /// <param name="className">The classname attribute.</param>
    /// <param name="name">Test name.</param>
    /// <param name="seconds">Its time attribute, written only when given.</param>
    public static XElement Case(string className, string name, double? seconds = null) =>
        new("testcase", new XAttribute("classname", className), new XAttribute("name", name), seconds is { } t ? new XAttribute("time", Seconds(t)) : null);

    /// <summary>A <c>failure</c> element: a one-line message attribute and the full details as text.</summary>
    /// <param name="message">One-line summary.</param>
    /// <param name="details">Full text (stack trace, error output).</param>
    /// <param name="type">The type attribute, written only when given.</param>
    public static XElement Failure(string message, string details, string? type = null) =>
        new("failure", new XAttribute("message", XmlSafe(message)), type is null ? null : new XAttribute("type", type), XmlSafe(details));

    /// <summary>A <c>skipped</c> element with its reason.</summary>
    /// <param name="message">Why the test case did not run.</param>
    public static XElement Skipped(string message) => new("skipped", new XAttribute("message", XmlSafe(message)));

    /// <summary>The time attribute of <paramref name="element"/> in seconds; 0 when missing or unreadable.</summary>
    /// <param name="element">A testsuite or testcase element, e.g. from an earlier report.</param>
    public static double SecondsOf(XElement element) =>
        double.TryParse((string?)element.Attribute("time"), NumberStyles.Float, Inv, out var s) ? s : 0;

    /// <summary>The root's <paramref name="child"/> elements of the report at <paramref name="path"/>.</summary>
    /// <param name="path">An existing JUnit XML file.</param>
    /// <param name="child">Element name: <c>testsuite</c> or <c>testcase</c>.</param>
    /// <exception cref="System.Xml.XmlException">The file is not well-formed XML.</exception>
    public static List<XElement> Load(string path, string child) => XDocument.Load(path).Root?.Elements(child).ToList() ?? [];

    /// <summary>Writes <paramref name="root"/> to <paramref name="path"/> atomically, UTF-8, ending in a newline.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="root">The testsuites or testsuite element.</param>
    public static void Write(string path, XElement root) =>
        AtomicFile.WriteAllText(path, new XDocument(new XDeclaration("1.0", "utf-8", null), root) + "\n");

    private static string Seconds(double seconds) => seconds.ToString("0.000", Inv);

    // Notebook errors may carry ANSI escapes and other control characters that XML 1.0 cannot hold (the writer would
    // throw); every character XML can hold is kept as it is.
    private static string XmlSafe(string s) =>
        string.Concat(s.Select(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF') ? c : '?'));
}
