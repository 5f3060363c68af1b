using Microsoft.DotNet.Interactive.Formatting;

namespace SslCourse.Viz;

/// <summary>
/// Renders course charts inline in any .NET Interactive host (VS Code, Jupyter, the course runner): a cell whose
/// last expression is a <see cref="Chart"/> shows it as text/html. Only the course's own type and strings cross into
/// the host's formatter, so it works whichever FSharp.Core or Plotly.NET the host has loaded.
/// </summary>
public static class ChartDisplay
{
    private static int _registered;

    /// <summary>Registers the text/html formatter for <see cref="Chart"/>. Idempotent.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<Chart>((chart, writer) => writer.Write(chart.ToHtml()), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Chart), HtmlFormatter.MimeType);
    }
}
