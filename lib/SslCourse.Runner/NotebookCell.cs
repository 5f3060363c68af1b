using System.Text.Json.Nodes;

namespace SslCourse.Runner;

/// <summary>One notebook cell in nbformat 4 terms; unknown fields are kept so a round trip loses nothing.</summary>
public sealed class NotebookCell
{
    /// <summary>Creates a cell.</summary>
    /// <param name="cellType">nbformat cell type: <c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
    /// <param name="source">The cell source.</param>
    public NotebookCell(string cellType, string source)
    {
        CellType = cellType;
        Source = source;
    }

    /// <summary>The nbformat cell id (nbformat 4.5+), or null when the notebook has none.</summary>
    public string? Id { get; set; }

    /// <summary>nbformat cell type: <c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType { get; set; }

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The cell source as one string.</summary>
    public string Source { get; set; }

    /// <summary>Cell metadata (tags, polyglot_notebook, ...).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>nbformat output objects of a code cell.</summary>
    public JsonArray Outputs { get; set; } = [];

    /// <summary>The execution count of a code cell, or null when not executed.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>Fields this model does not interpret (e.g. <c>attachments</c>), written back unchanged.</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>The cell's tags (<c>metadata.tags</c>).</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags
            ? tags.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
                  .OfType<string>().ToList()
            : [];

    /// <summary>First non-empty line of the source, shortened for progress and error messages.</summary>
    public string FirstLine
    {
        get
        {
            var line = Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            return line.Length > 60 ? line[..59] + "…" : line;
        }
    }
}
