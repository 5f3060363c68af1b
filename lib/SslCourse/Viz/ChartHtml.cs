using System.Net;
using System.Text.RegularExpressions;

namespace SslCourse.Viz;

/// <summary>
/// The HTML a chart output carries. VS Code and Jupyter render every output of a notebook into one page, so the
/// course does what plotly's own "offline notebook mode" does: the first chart after <c>Course.Init</c> carries the
/// course's plotly.js (tools/site/node_modules/plotly.js-dist-min, 2.35.2) once, and every chart draws with the
/// page's <c>window.Plotly</c>, waiting for it when that output renders later. Only a page that has no course
/// plotly.js at all (a notebook whose first chart output was cleared, or an output written by the headless runner)
/// tries the CDN, once, by a plain script tag: nothing depends on require.js.
/// </summary>
internal static partial class ChartHtml
{
    /// <summary>The event the bundle script fires on <c>window</c> once <c>window.Plotly</c> is set.</summary>
    public const string ReadyEvent = "sslcourse-plotly";

    /// <summary>Milliseconds a chart waits for the course's plotly.js before it tries the CDN.</summary>
    public const int CdnDelayMs = 3000;

    private static readonly Lazy<(string? Path, string? Script)> Bundle = new(LoadBundle);

    /// <summary>The course's plotly.js file, or null when it is not installed (no npm): charts then need the CDN.</summary>
    public static string? BundlePath => Bundle.Value.Path;

    /// <summary>
    /// A script element that defines <c>window.Plotly</c> from the course's plotly.js and fires
    /// <see cref="ReadyEvent"/>; null when the file is not installed.
    /// </summary>
    public static string? BundleScript => Bundle.Value.Script;

    /// <summary>The chart's div, its figure as a JSON script block and the script that draws it.</summary>
    public static string Fragment(string json, int height, string title)
    {
        var id = "sslcourse-chart-" + Guid.NewGuid().ToString("N");
        var caption = WebUtility.HtmlEncode(title.Length == 0 ? "chart" : title);
        // System.Text.Json escapes '<' and '>' by default, so the JSON cannot close its script element.
        return $$"""
            <div id="{{id}}" class="sslcourse-chart" style="width:100%;height:{{height}}px"><div class="sslcourse-chart-note" style="font:13px sans-serif;color:#666;padding:4px 0">{{caption}} (a chart drawn by plotly.js)</div></div>
            <script type="application/json" id="{{id}}-figure">{{json}}</script>
            <script type="text/javascript">
            (function () {
              var id = "{{id}}", url = "{{Chart.PlotlyJsUrl}}", root = document.getElementById(id);
              if (!root || root.getAttribute("data-drawn")) return;
              function note(text) { var n = root.querySelector(".sslcourse-chart-note"); if (n) n.textContent = text; }
              function draw() {
                if (!window.Plotly || !window.Plotly.newPlot || root.getAttribute("data-drawn")) return;
                root.setAttribute("data-drawn", "1");
                var n = root.querySelector(".sslcourse-chart-note"); if (n) n.remove();
                var fig = JSON.parse(document.getElementById(id + "-figure").textContent);
                window.Plotly.newPlot(root, fig.data, fig.layout, fig.config);
              }
              if (window.Plotly) { draw(); return; }
              window.addEventListener("{{ReadyEvent}}", draw);
              setTimeout(function () {
                if (root.getAttribute("data-drawn")) return;
                if (!window.__sslcoursePlotlyCdn) window.__sslcoursePlotlyCdn = new Promise(function (ok, no) {
                  // plotly's UMD header registers with require.js when define() exists, and then sets no window.Plotly.
                  var s = document.createElement("script"), amd = window.define;
                  window.define = undefined;
                  function restore() { if (window.define === undefined) window.define = amd; }
                  s.src = url;
                  s.onload = function () { restore(); window.Plotly ? ok() : no(); };
                  s.onerror = function () { restore(); no(); };
                  document.head.appendChild(s);
                });
                window.__sslcoursePlotlyCdn.then(draw, function () {
                  if (!root.getAttribute("data-drawn")) note("plotly.js is not in this page and " + url + " could not be loaded (offline?). Run the notebook from Course.Init: its first chart carries the course's plotly.js. The figure's data is in this output.");
                });
              }, {{CdnDelayMs}});
            })();
            </script>
            """;
    }

    private static (string?, string?) LoadBundle()
    {
        var path = FindBundle();
        if (path is null) return (null, null);
        // A script element ends at the first "</script" and HTML comment openers change how it is parsed; the
        // escapes below mean the same to JavaScript in strings, templates and regular expressions.
        var js = ScriptEnd().Replace(File.ReadAllText(path), "<\\/script").Replace("<!--", "<\\!--");
        // define, module and exports are shadowed so plotly's UMD header sets self.Plotly in every host, with or
        // without require.js on the page.
        var script = $$"""
            <script type="text/javascript">
            if (!window.Plotly) {
            (function (define, module, exports) {
            {{js}}
            }).call(self);
            }
            window.dispatchEvent(new Event("{{ReadyEvent}}"));
            </script>
            """;
        return (path, script);
    }

    /// <summary>
    /// tools/site/node_modules/plotly.js-dist-min/plotly.min.js above the working folder (a kernel started in
    /// notebooks/) or above this library's own folder (lib/SslCourse/bin/course).
    /// </summary>
    internal static string? FindBundle()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(typeof(ChartHtml).Assembly.Location) })
        {
            for (var d = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var p = Path.Combine(d.FullName, "tools", "site", "node_modules", "plotly.js-dist-min", "plotly.min.js");
                if (File.Exists(p)) return p;
            }
        }
        return null;
    }

    [GeneratedRegex("</script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptEnd();
}
