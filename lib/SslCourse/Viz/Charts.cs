using Plotly.NET;
using Plotly.NET.CSharp;
using SslCourse.Training;
using static TorchSharp.torch;
using CChart = Plotly.NET.CSharp.Chart;
using GenericChart = Plotly.NET.GenericChart;

namespace SslCourse.Viz;

/// <summary>A named (x, y) series for <see cref="Charts.Lines"/>.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// Chart helpers. Each returns a Plotly.NET <see cref="GenericChart"/> and never displays it: a notebook cell
/// shows it by making it the cell's last expression (the formatter is registered by Course.Init).
/// </summary>
public static class Charts
{
    /// <summary>Several line series on one set of axes.</summary>
    public static GenericChart Lines(string title, string xTitle, string yTitle, params Series[] series)
    {
        var charts = series.Select(s => CChart.Line<double, double, string>(s.X, s.Y, Name: s.Name, ShowLegend: true));
        return Style(CChart.Combine(charts), title, xTitle, yTitle);
    }

    /// <summary>The training loss of one or more fits, plus any recorded metrics, with optional horizontal baselines.</summary>
    public static GenericChart LossCurves(string title, IReadOnlyDictionary<string, History> fits, IReadOnlyDictionary<string, double>? baselines = null, bool includeMetrics = true)
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
    public static GenericChart LossCurve(History history, string title = "training loss", double? baseline = null, string baselineName = "baseline") =>
        LossCurves(title, new Dictionary<string, History> { ["train"] = history },
            baseline is null ? null : new Dictionary<string, double> { [baselineName] = baseline.Value });

    /// <summary>A bar chart of named values.</summary>
    public static GenericChart Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string yTitle = "")
    {
        var chart = CChart.Column<double, string, string>(values, Keys: labels.ToArray());
        return Style(chart, title, "", yTitle);
    }

    /// <summary>Grouped bars: one group per label, one bar per series.</summary>
    public static GenericChart GroupedBars(string title, IReadOnlyList<string> labels, IReadOnlyDictionary<string, IReadOnlyList<double>> series, string yTitle = "")
    {
        var charts = series.Select(kv => CChart.Column<double, string, string>(kv.Value, Keys: labels.ToArray(), Name: kv.Key, ShowLegend: true));
        return Style(CChart.Combine(charts), title, "", yTitle);
    }

    /// <summary>A heatmap of <paramref name="z"/> (rows × columns), e.g. attention weights.</summary>
    public static GenericChart Heatmap(string title, double[][] z, IReadOnlyList<string>? xLabels = null, IReadOnlyList<string>? yLabels = null, bool reverseY = true)
    {
        var x = xLabels ?? Enumerable.Range(0, z.Length == 0 ? 0 : z[0].Length).Select(i => i.ToString()).ToList();
        var y = yLabels ?? Enumerable.Range(0, z.Length).Select(i => i.ToString()).ToList();
        var chart = CChart.Heatmap<double, string, string, string>(z, X: x.ToArray(), Y: y.ToArray(), ReverseYAxis: reverseY);
        return Style(chart, title, "", "");
    }

    /// <summary>2-D points coloured by class (e.g. PCA or t-SNE of embeddings).</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="points">N × 2 coordinates.</param>
    /// <param name="labels">N class indices.</param>
    /// <param name="classNames">Name per class index.</param>
    public static GenericChart Scatter(string title, float[,] points, IReadOnlyList<long> labels, IReadOnlyList<string> classNames)
    {
        var charts = new List<GenericChart>();
        for (int c = 0; c < classNames.Count; c++)
        {
            var idx = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToList();
            if (idx.Count == 0) continue;
            charts.Add(CChart.Point<double, double, string>(idx.Select(i => (double)points[i, 0]), idx.Select(i => (double)points[i, 1]), Name: classNames[c], ShowLegend: true));
        }
        return Style(CChart.Combine(charts), title, "", "");
    }

    /// <summary>
    /// Images laid out in a grid as one picture. <paramref name="images"/> is (N, C, H, W) with values in [0, 1]
    /// (C = 1 grey or 3 colour), on any device.
    /// </summary>
    public static GenericChart ImageGrid(string title, Tensor images, int columns, int pad = 2)
    {
        using var scope = NewDisposeScope();
        if (images.dim() != 4) throw new ArgumentException($"ImageGrid expects (N, C, H, W), got {images.dim()} dimensions", nameof(images));
        var x = images.detach().cpu().to(ScalarType.Float32).clamp(0, 1);
        int n = (int)x.shape[0], c = (int)x.shape[1], h = (int)x.shape[2], w = (int)x.shape[3];
        int rows = (n + columns - 1) / columns;
        var mosaic = ones(c, rows * (h + pad) + pad, columns * (w + pad) + pad);
        for (int i = 0; i < n; i++)
        {
            int r = i / columns, col = i % columns;
            mosaic[.., (r * (h + pad) + pad)..(r * (h + pad) + pad + h), (col * (w + pad) + pad)..(col * (w + pad) + pad + w)] = x[i];
        }
        var pixels = (mosaic * 255).round().to(ScalarType.Int32).permute(1, 2, 0).contiguous();
        int H = (int)pixels.shape[0], W = (int)pixels.shape[1];
        var data = pixels.data<int>().ToArray();
        var rgb = Enumerable.Range(0, H).Select(yy => Enumerable.Range(0, W).Select(xx =>
        {
            int o = (yy * W + xx) * c;
            return c == 1 ? (IEnumerable<int>)new[] { data[o], data[o], data[o] } : new[] { data[o], data[o + 1], data[o + 2] };
        })).ToList();
        var chart = CChart.Image<string>(Z: rgb);
        var scale = Math.Max(1, 600 / Math.Max(W, H));
        return Style(chart, title, "", "").WithSize(Math.Min(900, W * scale + 80), Math.Min(900, H * scale + 80));
    }

    private static GenericChart Style(GenericChart chart, string title, string xTitle, string yTitle) =>
        Plotly.NET.Chart.withTitle(title, null).Invoke(chart).WithXAxisStyle<double, double, string>(TitleText: xTitle).WithYAxisStyle<double, double, string>(TitleText: yTitle);
}
