using Microsoft.DotNet.Interactive.Formatting;
using SslCourse.Viz;

namespace SslCourse.Tests.Viz;

/// <summary>
/// What a chart output carries in an interactive kernel: the course's plotly.js in the first chart after each
/// Course.Init (ChartDisplay.Register) and in no other, and a text/plain summary beside the text/html.
/// </summary>
public sealed class ChartDisplayTests
{
    private const string BundleMark = "* plotly.js v2.35.2";

    [Fact]
    public void The_first_chart_after_Register_carries_plotly_js_and_later_ones_reuse_it()
    {
        var chart = Charts.Bars("b", ["a"], [1.0]);
        ChartDisplay.Register();
        var first = ChartDisplay.Html(chart, interactive: true);
        var second = ChartDisplay.Html(chart, interactive: true);
        ChartDisplay.Register();
        var afterInit = ChartDisplay.Html(chart, interactive: true);
        var headless = ChartDisplay.Html(chart, interactive: false);
        Assert.DoesNotContain(BundleMark, second);
        Assert.DoesNotContain(BundleMark, headless);
        Assert.All(new[] { first, second, afterInit, headless }, h => Assert.Contains("class=\"sslcourse-chart\"", h));
        if (ChartHtml.BundlePath is null)
        {
            // No npm on this machine (tools/site/node_modules missing): charts can only try the CDN.
            Assert.DoesNotContain(BundleMark, first);
            Assert.Contains(Chart.PlotlyJsUrl, first);
            return;
        }
        Assert.Contains(BundleMark, first);
        Assert.Contains(BundleMark, afterInit);
        // Before the chart's own div, and with require.js's define() shadowed so plotly sets window.Plotly.
        Assert.True(first.IndexOf(BundleMark, StringComparison.Ordinal) < first.IndexOf("class=\"sslcourse-chart\"", StringComparison.Ordinal));
        Assert.Contains("(function (define, module, exports) {", first);
        Assert.Contains("window.dispatchEvent(new Event(\"sslcourse-plotly\"))", first);
        Assert.DoesNotContain("</script", first[..first.LastIndexOf("</script>", first.IndexOf("class=\"sslcourse-chart\"", StringComparison.Ordinal), StringComparison.Ordinal)][first.IndexOf("<script", StringComparison.Ordinal)..][8..], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_chart_is_formatted_as_html_and_plain_text()
    {
        ChartDisplay.Register();
        var chart = Charts.Lines("l", "x", "y", new Series("s", [0, 1], [2, 3]));
        Assert.Equal(["text/html", "text/plain"], Formatter.GetPreferredMimeTypesFor(typeof(Chart)));
        Assert.Equal(chart.ToText(), chart.ToDisplayString(PlainTextFormatter.MimeType));
        Assert.Contains("Plotly.newPlot", chart.ToDisplayString(HtmlFormatter.MimeType));
    }
}
