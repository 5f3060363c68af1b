using System.Text.Json.Nodes;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Viz;

/// <summary>A named (x, y) series for <see cref="Charts.Lines"/>.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// Chart helpers. Each returns a <see cref="Chart"/> and never displays it: a notebook cell shows it by making it
/// the cell's last expression (Course.Init registers its text/html and text/plain formatters).
/// </summary>
public static partial class Charts
{
    /// <summary>Several line series on one set of axes.</summary>
    public static Chart Lines(string title, string xTitle, string yTitle, params Series[] series)
    {
        foreach (var s in series)
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}' has {s.X.Count} x values and {s.Y.Count} y values", nameof(series));
        var traces = series.Select(s => new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["name"] = s.Name, ["showlegend"] = true,
            ["x"] = Numbers(s.X), ["y"] = Numbers(s.Y),
        });
        return new Chart(traces, Layout(title, xTitle, yTitle));
    }

    /// <summary>The training loss of one or more fits, plus any recorded metrics, with optional horizontal baselines.</summary>
    public static Chart LossCurves(string title, IReadOnlyDictionary<string, History> fits, IReadOnlyDictionary<string, double>? baselines = null, bool includeMetrics = true)
    {
        var series = new List<Series>();
        foreach (var (name, h) in fits)
        {
            series.Add(new Series(fits.Count == 1 ? "train loss" : name, h.Steps.Select(s => (double)s).ToList(), h.Loss));
            if (!includeMetrics) continue;
            foreach (var (metric, points) in h.Metrics)
                series.Add(new Series(fits.Count == 1 ? metric : $"{name} {metric}", points.Select(p => (double)p.Step).ToList(), points.Select(p => p.Value).ToList()));
        }
        var maxStep = fits.Values.SelectMany(h => h.Steps).DefaultIfEmpty(1).Max();
        foreach (var (name, value) in baselines ?? new Dictionary<string, double>())
            series.Add(new Series(name, [0, maxStep], [value, value]));
        return Lines(title, "step", "loss", series.ToArray());
    }

    /// <summary>The loss curve of one fit.</summary>
    public static Chart LossCurve(History history, string title = "training loss", double? baseline = null, string baselineName = "baseline") =>
        LossCurves(title, new Dictionary<string, History> { ["train"] = history },
            baseline is null ? null : new Dictionary<string, double> { [baselineName] = baseline.Value });

    /// <summary>A bar chart of named values.</summary>
    public static Chart Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string yTitle = "") =>
        GroupedBars(title, labels, new Dictionary<string, IReadOnlyList<double>> { [""] = values }, yTitle);

    /// <summary>Grouped bars: one group per label, one bar per series.</summary>
    public static Chart GroupedBars(string title, IReadOnlyList<string> labels, IReadOnlyDictionary<string, IReadOnlyList<double>> series, string yTitle = "")
    {
        foreach (var (name, values) in series)
            if (values.Count != labels.Count) throw new ArgumentException($"bar series '{name}' has {values.Count} values for {labels.Count} labels", nameof(series));
        var traces = series.Select(kv => new JsonObject
        {
            ["type"] = "bar", ["name"] = kv.Key, ["showlegend"] = series.Count > 1,
            ["x"] = Strings(labels), ["y"] = Numbers(kv.Value),
        });
        var layout = Layout(title, "", yTitle);
        layout["barmode"] = "group";
        return new Chart(traces, layout);
    }

    /// <summary>A heatmap of <paramref name="z"/> (rows × columns), e.g. attention weights.</summary>
    public static Chart Heatmap(string title, double[][] z, IReadOnlyList<string>? xLabels = null, IReadOnlyList<string>? yLabels = null, bool reverseY = true)
    {
        var columns = z.Length == 0 ? 0 : z[0].Length;
        if (z.Any(row => row.Length != columns)) throw new ArgumentException("heatmap rows differ in length", nameof(z));
        var x = xLabels ?? Enumerable.Range(0, columns).Select(i => i.ToString()).ToList();
        var y = yLabels ?? Enumerable.Range(0, z.Length).Select(i => i.ToString()).ToList();
        var trace = new JsonObject
        {
            ["type"] = "heatmap", ["x"] = Strings(x), ["y"] = Strings(y),
            ["z"] = new JsonArray(z.Select(row => (JsonNode)Numbers(row)).ToArray()),
        };
        var layout = Layout(title, "", "");
        // Categorical axes keep the labels' order (a row label "10" would otherwise sort numerically).
        layout["xaxis"]!["type"] = "category";
        layout["yaxis"]!["type"] = "category";
        if (reverseY) layout["yaxis"]!["autorange"] = "reversed";
        return new Chart([trace], layout);
    }

    /// <summary>2-D points coloured by class (e.g. PCA or t-SNE of embeddings).</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="points">N × 2 coordinates.</param>
    /// <param name="labels">N class indices.</param>
    /// <param name="classNames">Name per class index.</param>
    public static Chart Scatter(string title, float[,] points, IReadOnlyList<long> labels, IReadOnlyList<string> classNames)
    {
        if (points.GetLength(0) != labels.Count || points.GetLength(1) != 2)
            throw new ArgumentException($"Scatter expects N × 2 points for {labels.Count} labels, got {points.GetLength(0)} × {points.GetLength(1)}", nameof(points));
        var traces = new List<JsonObject>();
        for (int c = 0; c < classNames.Count; c++)
        {
            var idx = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToList();
            if (idx.Count == 0) continue;
            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = classNames[c], ["showlegend"] = true,
                ["x"] = Numbers(idx.Select(i => (double)points[i, 0])), ["y"] = Numbers(idx.Select(i => (double)points[i, 1])),
            });
        }
        return new Chart(traces, Layout(title, "", ""));
    }

    private static JsonObject Layout(string title, string xTitle, string yTitle) => new()
    {
        ["title"] = new JsonObject { ["text"] = title },
        ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle } },
        ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle } },
    };

    // JSON has no NaN or infinity: a missing point is null, which plotly.js draws as a gap.
    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).Select(v => (JsonNode?)v).ToArray());

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
