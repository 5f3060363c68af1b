using Microsoft.DotNet.Interactive.Formatting;

namespace SslCourse.Viz;

/// <summary>
/// Renders course charts inline in any .NET Interactive host (VS Code, Jupyter, the course runner): a cell whose
/// last expression is a <see cref="Chart"/> shows it as text/html, with a text/plain summary beside it for viewers
/// without JavaScript. Only the course's own type and strings cross into the host's formatter, so it works whichever
/// FSharp.Core or Plotly.NET the host has loaded.
/// </summary>
public static class ChartDisplay
{
    private static int _registered;
    private static int _plotlyShipped;

    /// <summary>
    /// Registers the text/html and text/plain formatters for <see cref="Chart"/> (once), and makes the next chart
    /// shown carry the course's plotly.js (every call: <c>Course.Init</c> calls it, so a notebook run from the top
    /// always has plotly.js in its first chart output, and opens offline).
    /// </summary>
    public static void Register()
    {
        Interlocked.Exchange(ref _plotlyShipped, 0);
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<Chart>((chart, writer) => writer.Write(Html(chart, interactive: Environment.GetEnvironmentVariable("SSLCOURSE_HEADLESS") != "1")), HtmlFormatter.MimeType);
        Formatter.Register<Chart>((chart, writer) => writer.Write(chart.ToText()), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Chart), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }

    /// <summary>
    /// The chart's text/html. In an interactive kernel the first chart after <see cref="Register"/> carries the
    /// course's plotly.js. The headless runner (SSLCOURSE_HEADLESS=1) never embeds it: its notebooks feed the
    /// website, which bundles plotly.js, and the 4.6 MB would pass its per-cell output cap.
    /// </summary>
    internal static string Html(Chart chart, bool interactive) =>
        chart.ToHtml(withPlotly: interactive && Interlocked.Exchange(ref _plotlyShipped, 1) == 0);
}
