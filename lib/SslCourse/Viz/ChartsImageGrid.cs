using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SslCourse.Viz;

/// <summary>Charts.ImageGrid: images as one picture, drawn at its pixel size.</summary>
public static partial class Charts
{
    /// <summary>
    /// Images laid out in a grid as one picture (a PNG drawn as a Plotly layout image). <paramref name="images"/> is
    /// (N, C, H, W) with values in [0, 1] (C = 1 grey or 3 colour), on any device. Small pictures are enlarged by
    /// an integer factor, pixel by pixel, so browsers show sharp pixels instead of smoothing them. The figure's plot
    /// area is exactly the picture, so it draws at that pixel size, under a title wrapped to the figure's width.
    /// </summary>
    public static Chart ImageGrid(string title, Tensor images, int columns, int pad = 2)
    {
        if (images.dim() != 4) throw new ArgumentException($"ImageGrid expects (N, C, H, W), got {images.dim()} dimensions", nameof(images));
        if (images.shape[1] is not (1 or 3)) throw new ArgumentException($"ImageGrid expects 1 or 3 channels, got {images.shape[1]}", nameof(images));
        if (columns <= 0) throw new ArgumentOutOfRangeException(nameof(columns), $"columns must be positive, got {columns}");
        byte[] rgb;
        int width, height, scale;
        using (NewDisposeScope())
        {
            var x = images.detach().to(ScalarType.Float32).clamp(0, 1);
            int n = (int)x.shape[0], h = (int)x.shape[2], w = (int)x.shape[3];
            int rows = (n + columns - 1) / columns;
            var mosaic = ones(3, rows * (h + pad) + pad, columns * (w + pad) + pad, device: x.device);
            for (int i = 0; i < n; i++)
            {
                int r = i / columns, col = i % columns;
                mosaic[.., (r * (h + pad) + pad)..(r * (h + pad) + pad + h), (col * (w + pad) + pad)..(col * (w + pad) + pad + w)] = x[i].expand(3, h, w);
            }
            scale = Math.Max(1, 600 / (int)Math.Max(mosaic.shape[1], mosaic.shape[2]));
            mosaic = mosaic.repeat_interleave(scale, 1).repeat_interleave(scale, 2);
            var pixels = (mosaic * 255).round().to(ScalarType.Byte).permute(1, 2, 0).contiguous().cpu();
            height = (int)pixels.shape[0];
            width = (int)pixels.shape[1];
            rgb = pixels.data<byte>().ToArray();
        }
        var layout = Layout(title, "", "");
        // Axes in picture pixels, y downwards, one unit per pixel on both axes, hidden.
        layout["xaxis"] = new JsonObject { ["range"] = new JsonArray(0, width), ["visible"] = false };
        layout["yaxis"] = new JsonObject { ["range"] = new JsonArray(height, 0), ["visible"] = false, ["scaleanchor"] = "x" };
        layout["images"] = new JsonArray(new JsonObject
        {
            ["source"] = Png.DataUri(rgb, width, height), ["xref"] = "x", ["yref"] = "y", ["x"] = 0, ["y"] = 0,
            ["sizex"] = width, ["sizey"] = height, ["sizing"] = "stretch", ["xanchor"] = "left", ["yanchor"] = "top", ["layer"] = "below",
        });
        // The plot area is exactly the picture, so it draws at its pixel size (Plotly's default margins, 160 × 180 px,
        // would shrink it); the figure is at least GridMinWidth wide and the title wraps to the figure's width.
        var figureWidth = Math.Max(width + 2 * GridMargin, GridMinWidth);
        var lines = WrapTitle(title, (figureWidth - 2 * GridMargin) / GridTitleCharPx);
        var top = GridMargin + lines.Count * GridTitleLinePx + GridMargin;
        var figureHeight = height + top + GridMargin;
        // The title's top GridMargin below the figure's top, in container coordinates. Plotly 2.35 drops a title's
        // cap-height shift (dy 0.7em) once it has several lines, drawing the first line 0.7 em higher: add it back.
        var titleY = GridMargin + (lines.Count > 1 ? 0.7 * GridTitleFontPx : 0);
        layout["title"] = new JsonObject
        {
            ["text"] = string.Join("<br>", lines), ["x"] = 0.5, ["xanchor"] = "center",
            ["y"] = 1 - titleY / figureHeight, ["yref"] = "container", ["yanchor"] = "top",
            ["font"] = new JsonObject { ["size"] = GridTitleFontPx },
        };
        var side = figureWidth - width;
        layout["margin"] = new JsonObject { ["l"] = side / 2, ["r"] = side - side / 2, ["t"] = top, ["b"] = GridMargin, ["pad"] = 0 };
        return new Chart([], layout).WithSize(figureWidth, figureHeight);
    }

    // Image-grid title metrics: 0.62 em is a wide average glyph (DejaVu Sans, the fallback of Plotly's font stack
    // on Linux, averages about 0.6 em on text), so a wrapped line fits.
    private const int GridMargin = 10, GridMinWidth = 360, GridTitleFontPx = 16, GridTitleLinePx = 22;
    private const double GridTitleCharPx = GridTitleFontPx * 0.62;

    /// <summary>Greedy word wrap to lines of at most <paramref name="maxChars"/> characters (a longer word gets a line of its own).</summary>
    internal static List<string> WrapTitle(string title, double maxChars)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars) { lines.Add(line); line = ""; }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }
}
