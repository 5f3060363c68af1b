using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace SslCourse.Viz;

/// <summary>
/// Renders Plotly.NET charts inline in any .NET Interactive host (VS Code, Jupyter, the course runner) without
/// loading Plotly.NET.Interactive's kernel extension: a cell whose last expression is a chart shows it.
/// </summary>
public static class ChartDisplay
{
    private static int _registered;

    /// <summary>Registers the text/html formatter for <see cref="GenericChart"/>. Idempotent.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ToHtml(chart)), HtmlFormatter.MimeType);
    }

    /// <summary>The chart as an HTML fragment (a div and the script that draws it; plotly.js from its CDN).</summary>
    public static string ToHtml(GenericChart chart) => GenericChart.toChartHTML(chart);
}
