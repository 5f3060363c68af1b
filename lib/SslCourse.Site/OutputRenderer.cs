using System.Text;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;
using static SslCourse.Site.Html;

namespace SslCourse.Site;

/// <summary>A code cell's outputs as HTML, richest MIME type first: HTML (charts), PNG, SVG, then plain text.</summary>
internal static class OutputRenderer
{
    public static string Render(NotebookCell cell)
    {
        var html = new StringBuilder();
        foreach (var output in cell.Outputs.OfType<JsonObject>())
        {
            switch ((string?)output["output_type"])
            {
                case "stream":
                    var name = (string?)output["name"] == "stderr" ? "stderr" : "stdout";
                    html.Append($"<pre class=\"out {name}\">{E(NotebookDocument.JoinText(output["text"]))}</pre>\n");
                    break;
                case "error":
                    html.Append($"<pre class=\"out error\">{E($"{output["ename"]}: {output["evalue"]}")}</pre>\n");
                    break;
                case "execute_result" or "display_data":
                    html.Append(Rich(output["data"] as JsonObject ?? [])).Append('\n');
                    break;
            }
        }
        return html.ToString();
    }

    private static string Rich(JsonObject data)
    {
        string? Get(string mime) => data[mime] is { } node ? NotebookDocument.JoinText(node) : null;
        if (Get("text/html") is { } h) return $"<div class=\"out html\">{h}</div>";
        if (Get("image/png") is { } png) return $"<div class=\"out image\"><img alt=\"output image\" src=\"data:image/png;base64,{png.Trim()}\"></div>";
        if (Get("image/svg+xml") is { } svg) return $"<div class=\"out image\">{svg}</div>";
        return Get("text/plain") is { } text ? $"<pre class=\"out\">{E(text)}</pre>" : "";
    }
}
