using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using SslCourse.Training;
using SslCourse.Viz;
using static TorchSharp.torch;

namespace SslCourse.Tests.Viz;

/// <summary>The course's Plotly figures: the JSON each helper writes, and the HTML that carries it.</summary>
public sealed class ChartTests
{
    private static JsonObject Figure(Chart chart) => JsonNode.Parse(chart.ToJson())!.AsObject();

    [Fact]
    public void Lines_write_one_scatter_trace_per_series_with_titles()
    {
        var fig = Figure(Charts.Lines("t", "x axis", "y axis", new Series("a", [0, 1], [2, 3]), new Series("b", [0], [1])));
        var data = fig["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("scatter", (string?)data[0]!["type"]);
        Assert.Equal("lines", (string?)data[0]!["mode"]);
        Assert.Equal("a", (string?)data[0]!["name"]);
        Assert.Equal([2.0, 3.0], data[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("t", (string?)fig["layout"]!["title"]!["text"]);
        Assert.Equal("x axis", (string?)fig["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal("y axis", (string?)fig["layout"]!["yaxis"]!["title"]!["text"]);
    }

    [Fact]
    public void Non_finite_values_become_gaps_and_mismatched_series_are_refused()
    {
        var fig = Figure(Charts.Lines("t", "", "", new Series("a", [0, 1, 2], [1, double.NaN, double.PositiveInfinity])));
        var y = fig["data"]![0]!["y"]!.AsArray();
        Assert.NotNull(y[0]);
        Assert.Null(y[1]);
        Assert.Null(y[2]);
        var e = Assert.Throws<ArgumentException>(() => Charts.Lines("t", "", "", new Series("short", [0, 1], [1])));
        Assert.Contains("series 'short' has 2 x values and 1 y values", e.Message);
    }

    [Fact]
    public void Loss_curves_add_metrics_and_flat_baselines()
    {
        var h = new History();
        h.Steps.AddRange([1, 2]);
        h.Loss.AddRange([2.0, 1.5]);
        h.Add("val", 2, 1.7);
        var data = Figure(Charts.LossCurve(h, "loss", baseline: 1.0, baselineName: "bigram"))["data"]!.AsArray();
        Assert.Equal(["train loss", "val", "bigram"], data.Select(t => (string?)t!["name"]));
        Assert.Equal([1.0, 1.0], data[2]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal([0.0, 2.0], data[2]!["x"]!.AsArray().Select(v => (double)v!));
    }

    [Fact]
    public void Grouped_bars_share_the_labels_and_group_in_the_layout()
    {
        var fig = Figure(Charts.GroupedBars("g", ["a", "b"], new Dictionary<string, IReadOnlyList<double>> { ["s1"] = [1, 2], ["s2"] = [3, 4] }));
        Assert.Equal("group", (string?)fig["layout"]!["barmode"]);
        Assert.All(fig["data"]!.AsArray(), t => Assert.Equal(["a", "b"], t!["x"]!.AsArray().Select(v => (string?)v)));
        Assert.Throws<ArgumentException>(() => Charts.Bars("b", ["a", "b"], [1.0]));
    }

    [Fact]
    public void Heatmap_keeps_label_order_and_refuses_ragged_rows()
    {
        var fig = Figure(Charts.Heatmap("h", [[1, 2], [3, 4]], ["10", "2"], ["q1", "q2"]));
        Assert.Equal("category", (string?)fig["layout"]!["xaxis"]!["type"]);
        Assert.Equal("reversed", (string?)fig["layout"]!["yaxis"]!["autorange"]);
        Assert.Equal(4.0, (double)fig["data"]![0]!["z"]![1]![1]!);
        var e = Assert.Throws<ArgumentException>(() => Charts.Heatmap("h", [[1, 2], [3]]));
        Assert.Contains("heatmap rows differ in length", e.Message);
    }

    [Fact]
    public void Scatter_has_one_trace_per_class_present()
    {
        var points = new float[,] { { 0, 0 }, { 1, 1 }, { 2, 2 } };
        var data = Figure(Charts.Scatter("s", points, [0, 2, 2], ["zero", "one", "two"]))["data"]!.AsArray();
        Assert.Equal(["zero", "two"], data.Select(t => (string?)t!["name"]));
        Assert.Equal(2, data[1]!["x"]!.AsArray().Count);
    }

    [Fact]
    public void Image_grid_is_a_png_whose_pixels_are_the_images()
    {
        using var scope = NewDisposeScope();
        // Two 2×3 grey images: 0 and 1; columns 2, no padding → a 2×6 picture, enlarged 100× to 200×600.
        var images = cat([zeros(1, 1, 2, 3), ones(1, 1, 2, 3)], 0);
        var fig = Figure(Charts.ImageGrid("grid", images, columns: 2, pad: 0));
        Assert.Empty(fig["data"]!.AsArray());
        var image = fig["layout"]!["images"]![0]!;
        var source = (string)image["source"]!;
        Assert.StartsWith("data:image/png;base64,", source);
        var (width, height, rgb) = DecodePng(Convert.FromBase64String(source["data:image/png;base64,".Length..]));
        Assert.Equal((600, 200), (width, height));
        Assert.Equal((600, 200), ((int)image["sizex"]!, (int)image["sizey"]!));
        Assert.Equal(0, rgb[0]);                              // top-left: image 0
        Assert.Equal(0, rgb[(199 * 600 + 299) * 3]);          // last row, last column of image 0
        Assert.Equal(255, rgb[(0 * 600 + 300) * 3]);          // first column of image 1
        Assert.Equal(255, rgb[(199 * 600 + 599) * 3 + 2]);
    }

    [Fact]
    public void Image_grid_draws_at_pixel_size_under_a_title_that_fits()
    {
        using var scope = NewDisposeScope();
        const string longTitle = "rows: query, then its 5 nearest training images — 4 rows each for raw pixels, SimCLR, MAE, rotation, supervised";
        // 01_5's retrieval grid (20 rows of 6, 182 × 602 px, a long title), 01_1's (10 columns, 302 × 122) and one
        // small image enlarged to 576 × 576.
        foreach (var (title, images, columns) in new[] { (longTitle, rand(120, 1, 28, 28), 6), ("first 40", rand(40, 1, 28, 28), 10), ("one", rand(1, 1, 28, 28), 1) })
        {
            var chart = Charts.ImageGrid(title, images, columns);
            var layout = Figure(chart)["layout"]!;
            var image = layout["images"]![0]!;
            int sizex = (int)image["sizex"]!, sizey = (int)image["sizey"]!;
            var m = layout["margin"]!;
            // Plotly's plot area is the figure less its margins: exactly the picture, so one picture pixel per screen pixel.
            Assert.Equal(sizex, (int)layout["width"]! - (int)m["l"]! - (int)m["r"]!);
            Assert.Equal(sizey, (int)layout["height"]! - (int)m["t"]! - (int)m["b"]!);
            var lines = ((string)layout["title"]!["text"]!).Split("<br>");
            var fontPx = (int)layout["title"]!["font"]!["size"]!;
            // At 0.62 em a character, each line is narrower than the figure, and the top margin holds every line.
            Assert.All(lines, l => Assert.True(l.Length * 0.62 * fontPx <= (int)layout["width"]!, $"'{l}' is wider than {(int)layout["width"]!} px"));
            Assert.True((int)m["t"]! >= lines.Length * fontPx * 1.25, $"{lines.Length} title lines in a {(int)m["t"]!} px top margin");
            Assert.Equal(title, chart.Title);
        }
        Assert.Equal(["a", "verylongword", "b c"], Charts.WrapTitle("a verylongword b c", 4));
        Assert.Equal([""], Charts.WrapTitle("", 10));
    }

    [Fact]
    public void Text_summary_names_every_trace_with_its_points_and_ranges()
    {
        using var scope = NewDisposeScope();
        var lines = Charts.Lines("loss", "step", "loss", new Series("train", [0, 10, 20], [3, double.NaN, 1]), new Series("val", [0], [2.5])).ToText();
        Assert.Equal("Chart \"loss\" (2 traces)\n  train: line, 2 points, x 0 to 20, y 1 to 3\n  val: line, 1 point, x 0, y 2.5", lines);
        var bars = Charts.Bars("acc", ["probe", "kNN"], [0.81, 0.79]).ToText();
        Assert.Equal("Chart \"acc\" (1 trace)\n  bars, 2 points, x probe, kNN, y 0.79 to 0.81", bars);
        Assert.Contains("heatmap 2×3, z -1 to 4", Charts.Heatmap("h", [[-1, 0, 1], [2, 3, 4]]).ToText());
        Assert.Equal("Chart \"grid\"\n  image 600×200 px", Charts.ImageGrid("grid", cat([zeros(1, 1, 2, 3), ones(1, 1, 2, 3)], 0), columns: 2, pad: 0).ToText());
    }

    [Fact]
    public void Html_carries_the_figure_and_cannot_be_closed_by_a_title()
    {
        var html = Charts.Bars("</script><b>x</b>", ["a"], [1.0]).WithSize(300, 200).ToHtml();
        Assert.Contains("class=\"sslcourse-chart\"", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains(Chart.PlotlyJsUrl, html);
        // The JSON block ends at the first "</script>": a title that closed it early would not parse back.
        var json = html[(html.IndexOf("-figure\">", StringComparison.Ordinal) + 9)..html.IndexOf("</script>", StringComparison.Ordinal)];
        var fig = JsonNode.Parse(json)!;
        Assert.Equal("</script><b>x</b>", (string?)fig["layout"]!["title"]!["text"]);
        Assert.Equal(300, (int)fig["layout"]!["width"]!);
    }

    private static (int Width, int Height, byte[] Rgb) DecodePng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int pos = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var body = png.AsSpan(pos + 8, length);
            if (type == "IHDR") (width, height) = (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body[4..]));
            if (type == "IDAT") idat.Write(body);
            pos += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var rows = raw.ToArray();
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * (width * 3 + 1)]);
            Array.Copy(rows, y * (width * 3 + 1) + 1, rgb, y * width * 3, width * 3);
        }
        return (width, height, rgb);
    }
}
