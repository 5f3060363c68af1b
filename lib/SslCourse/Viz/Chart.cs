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
    /// <summary>The plotly.js build that the HTML loads when the page has no <c>window.Plotly</c> yet.</summary>
    public const string PlotlyJsUrl = "https://cdn.plot.ly/plotly-2.35.2.min.js";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly JsonArray _data;
    private readonly JsonObject _layout;

    internal Chart(IEnumerable<JsonObject> traces, JsonObject layout)
    {
        _data = new JsonArray(traces.Select(t => (JsonNode)t).ToArray());
        _layout = layout;
    }

    /// <summary>The chart's title.</summary>
    public string Title => _layout["title"]?["text"]?.GetValue<string>() ?? "";

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
    /// The chart as an HTML fragment: a div, the figure as a JSON script block, and a script that draws it with
    /// the page's plotly.js (the course site bundles one) or loads plotly.js from its CDN (require.js in classic
    /// Jupyter, a script tag elsewhere). Offline without a bundled plotly.js the div says why it is empty.
    /// </summary>
    public string ToHtml()
    {
        var id = "sslcourse-chart-" + Guid.NewGuid().ToString("N");
        // System.Text.Json escapes '<' and '>' by default, so the JSON cannot close its script element.
        var json = ToJson();
        var height = _layout["height"]?.GetValue<int>() ?? 450;
        return $$"""
            <div id="{{id}}" class="sslcourse-chart" style="width:100%;height:{{height}}px"></div>
            <script type="application/json" id="{{id}}-figure">{{json}}</script>
            <script type="text/javascript">
            (function () {
              var id = "{{id}}", url = "{{PlotlyJsUrl}}";
              var fig = JSON.parse(document.getElementById(id + "-figure").textContent);
              function draw(Plotly) { Plotly.newPlot(id, fig.data, fig.layout, fig.config); }
              function fail() { document.getElementById(id).textContent = "plotly.js could not be loaded from " + url + " (offline?); the figure's data is in this output."; }
              if (window.Plotly) { draw(window.Plotly); return; }
              if (typeof window.require === "function" && window.require.config) {
                window.require.config({ paths: { plotly: url.replace(/\.js$/, "") } });
                window.require(["plotly"], draw, fail);
                return;
              }
              if (!window.__sslcoursePlotly) window.__sslcoursePlotly = new Promise(function (ok, no) {
                var s = document.createElement("script"); s.src = url; s.onload = function () { ok(window.Plotly); }; s.onerror = no;
                document.head.appendChild(s);
              });
              window.__sslcoursePlotly.then(draw, fail);
            })();
            </script>
            """;
    }

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
        if (!File.Exists(local) && BundledPlotly() is { } bundled) File.Copy(bundled, local);
        var script = File.Exists(local) ? "<script src=\"plotly.min.js\"></script>\n" : "";
        var title = System.Net.WebUtility.HtmlEncode(Title);
        Runtime.AtomicFile.WriteAllText(full, $"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n{script}</head>\n<body>\n{ToHtml()}\n</body></html>\n");
        return full;
    }

    private static string? BundledPlotly()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "tools", "site", "node_modules", "plotly.js-dist-min", "plotly.min.js");
            if (File.Exists(p)) return p;
        }
        return null;
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
