using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SslCourse.Viz;

/// <summary>
/// A chart as plain text: its title, then one line per trace (kind, points, value ranges) or per layout image. It is
/// the <c>text/plain</c> beside every chart's <c>text/html</c>, so viewers without JavaScript (GitHub's renderer,
/// a terminal, <c>nbconvert --to markdown</c>) still show what the chart holds.
/// </summary>
internal static class ChartText
{
    public static string Describe(string title, JsonArray data, JsonObject layout)
    {
        var text = new StringBuilder($"Chart \"{title}\"");
        var images = layout["images"]?.AsArray() ?? [];
        text.Append(data.Count == 0 && images.Count > 0 ? "" : $" ({data.Count} trace{(data.Count == 1 ? "" : "s")})");
        foreach (var trace in data.OfType<JsonObject>()) text.Append('\n').Append("  ").Append(Trace(trace));
        foreach (var image in images.OfType<JsonObject>())
            text.Append('\n').Append($"  image {Int(image["sizex"])}×{Int(image["sizey"])} px");
        return text.ToString();
    }

    private static string Trace(JsonObject t)
    {
        var type = (string?)t["type"] ?? "scatter";
        var name = (string?)t["name"] is { Length: > 0 } n ? n + ": " : "";
        if (type == "heatmap")
        {
            var rows = t["z"]?.AsArray() ?? [];
            var z = rows.OfType<JsonArray>().SelectMany(Numbers).ToList();
            return $"{name}heatmap {rows.Count}×{(rows.FirstOrDefault() as JsonArray)?.Count ?? 0}{Range("z", z)}";
        }
        var x = t["x"]?.AsArray() ?? [];
        var y = Numbers(t["y"]?.AsArray() ?? []).ToList();
        var kind = type == "bar" ? "bars" : (string?)t["mode"] == "markers" ? "points" : "line";
        var xText = x.Count > 0 && x[0] is JsonValue v && v.TryGetValue<string>(out _)
            ? $", x {string.Join(", ", x.Take(6).Select(s => (string?)s))}{(x.Count > 6 ? ", …" : "")}"
            : Range("x", Numbers(x).ToList());
        return $"{name}{kind}, {y.Count} point{(y.Count == 1 ? "" : "s")}{xText}{Range("y", y)}";
    }

    private static IEnumerable<double> Numbers(JsonArray values) =>
        values.OfType<JsonValue>().Select(v => v.TryGetValue<double>(out var d) ? d : double.NaN).Where(double.IsFinite);

    private static string Range(string axis, List<double> values) =>
        values.Count == 0 ? "" : values.Min() == values.Max() ? $", {axis} {G(values[0])}" : $", {axis} {G(values.Min())} to {G(values.Max())}";

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i.ToString(CultureInfo.InvariantCulture) : "?";
}
