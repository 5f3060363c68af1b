using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Viz;

/// <summary>
/// A Plotly figure (traces, layout, config) as plain JSON, rendered by plotly.js. The course writes the figure
/// itself rather than through Plotly.NET: Plotly.NET needs FSharp.Core 10.1, and the .NET Interactive kernel that
/// VS Code and Jupyter host loads its own FSharp.Core 10.0, so every Plotly.NET chart failed there. This type
/// holds only JSON and depends on nothing the host loads. Schema: https://plotly.com/javascript/reference/.
/// </summary>
public sealed class Chart
{
    /// <summary>The plotly.js build a chart loads from the CDN when its page has no plotly.js and no output brings the course's copy.</summary>
    public const string PlotlyJsUrl = "https://cdn.plot.ly/plotly-2.35.2.min.js";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly JsonArray _data;
    private readonly JsonObject _layout;

    internal Chart(IEnumerable<JsonObject> traces, JsonObject layout)
    {
        _data = new JsonArray(traces.Select(t => (JsonNode)t).ToArray());
        _layout = layout;
    }

    /// <summary>The chart's title (a line break Plotly draws, <c>&lt;br&gt;</c>, reads as a space).</summary>
    public string Title => (_layout["title"]?["text"]?.GetValue<string>() ?? "").Replace("<br>", " ", StringComparison.Ordinal);

    /// <summary>How many traces (series) the chart draws.</summary>
    public int TraceCount => _data.Count;

    /// <summary>A copy of this chart with a fixed size in pixels.</summary>
    public Chart WithSize(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"chart size must be positive, got {width}×{height}");
        var copy = Copy();
        copy._layout["width"] = width;
        copy._layout["height"] = height;
        return copy;
    }

    /// <summary>A copy of this chart with another title.</summary>
    public Chart WithTitle(string title)
    {
        var copy = Copy();
        copy._layout["title"] = new JsonObject { ["text"] = title };
        return copy;
    }

    /// <summary>The figure as Plotly JSON: <c>{"data": [...], "layout": {...}, "config": {...}}</c>.</summary>
    public string ToJson() => Figure().ToJsonString(Compact);

    /// <summary>
    /// The chart as an HTML fragment: a div, the figure as a JSON script block, and a script that draws it with the
    /// page's plotly.js, waiting for the course's copy when another output brings it (see <see cref="ChartHtml"/>),
    /// and trying <see cref="PlotlyJsUrl"/> by a plain script tag only when none arrives. Offline without a
    /// plotly.js the div says why it is empty.
    /// </summary>
    public string ToHtml() => ToHtml(withPlotly: false);

    /// <summary>The fragment, preceded by the course's plotly.js when <paramref name="withPlotly"/> and it is installed.</summary>
    internal string ToHtml(bool withPlotly)
    {
        var fragment = ChartHtml.Fragment(ToJson(), _layout["height"]?.GetValue<int>() ?? 450, Title);
        return withPlotly && ChartHtml.BundleScript is { } bundle ? bundle + "\n" + fragment : fragment;
    }

    /// <summary>
    /// The chart as plain text: the title and one line per trace (kind, number of points, value ranges) or layout
    /// image, for viewers without JavaScript.
    /// </summary>
    public string ToText() => ChartText.Describe(Title, _data, _layout);

    /// <summary>
    /// Writes the chart as a standalone HTML page at <paramref name="path"/> and returns the full path. When the
    /// course's bundled plotly.js (tools/site/node_modules) is found above the current folder, a copy goes next to
    /// the page, so it opens offline; otherwise the page loads plotly.js from its CDN.
    /// </summary>
    public string SaveHtml(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var local = Path.Combine(dir, "plotly.min.js");
        if (!File.Exists(local) && ChartHtml.FindBundle() is { } bundled) File.Copy(bundled, local);
        var script = File.Exists(local) ? "<script src=\"plotly.min.js\"></script>\n" : "";
        var title = System.Net.WebUtility.HtmlEncode(Title);
        Runtime.AtomicFile.WriteAllText(full, $"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n{script}</head>\n<body>\n{ToHtml()}\n</body></html>\n");
        return full;
    }

    /// <summary>The title, for text-only displays.</summary>
    public override string ToString() => $"Chart \"{Title}\" ({TraceCount} traces)";

    private JsonObject Figure() => new()
    {
        ["data"] = _data.DeepClone(),
        ["layout"] = _layout.DeepClone(),
        ["config"] = new JsonObject { ["responsive"] = true },
    };

    private Chart Copy() => new(_data.Select(t => (JsonObject)t!.DeepClone()), (JsonObject)_layout.DeepClone());
}
