using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>One notebook cell in nbformat 4 terms; unknown fields are kept so a round trip loses nothing.</summary>
public sealed class NotebookCell
{
    /// <summary>Tag of the cell that declares a notebook's parameters (papermill's convention).</summary>
    public const string ParametersTag = "parameters";

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

    /// <summary>True for markdown cells.</summary>
    public bool IsMarkdown => CellType == "markdown";

    /// <summary>The cell source as one string.</summary>
    public string Source { get; set; }

    /// <summary>Cell metadata (tags, polyglot_notebook, nbgrader, ...).</summary>
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

    /// <summary>True for the code cell tagged <see cref="ParametersTag"/>.</summary>
    public bool IsParameters => IsCode && Tags.Contains(ParametersTag);

    /// <summary>First non-empty line of the source, shortened for progress and error messages.</summary>
    public string FirstLine
    {
        get
        {
            var line = Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            return line.Length > 60 ? line[..59] + "…" : line;
        }
    }

    /// <summary>A deep copy (metadata, outputs and unknown fields included).</summary>
    public NotebookCell Clone() => FromJson(ToJson(), "(clone)", 0);

    /// <summary>Reads one nbformat cell object.</summary>
    /// <exception cref="NotebookFormatException">The cell has no <c>cell_type</c>.</exception>
    internal static NotebookCell FromJson(JsonNode? node, string name, int index)
    {
        if (node is not JsonObject c || c["cell_type"]?.GetValueKind() != JsonValueKind.String)
        {
            throw new NotebookFormatException(name, $"not a notebook (cell {index + 1} has no \"cell_type\")");
        }
        var cell = new NotebookCell(c["cell_type"]!.GetValue<string>(), NotebookDocument.JoinText(c["source"]))
        {
            Id = c["id"]?.GetValueKind() == JsonValueKind.String ? c["id"]!.GetValue<string>() : null,
            Metadata = c["metadata"] is JsonObject m ? (JsonObject)m.DeepClone() : [],
        };
        if (cell.IsCode)
        {
            cell.Outputs = c["outputs"] is JsonArray o ? (JsonArray)o.DeepClone() : [];
            cell.ExecutionCount = c["execution_count"]?.GetValueKind() == JsonValueKind.Number ? c["execution_count"]!.GetValue<int>() : null;
        }
        foreach (var (key, value) in c)
        {
            // Outputs of a non-code cell are not nbformat, but they are kept like any other unknown field.
            if (key is not ("cell_type" or "source" or "id" or "metadata") && !(cell.IsCode && key is "outputs" or "execution_count"))
            {
                cell.Extra[key] = value?.DeepClone();
            }
        }
        return cell;
    }

    /// <summary>The nbformat cell object; source as a list of lines.</summary>
    internal JsonObject ToJson()
    {
        var c = new JsonObject { ["cell_type"] = CellType };
        if (Id is not null)
        {
            c["id"] = Id;
        }
        c["metadata"] = Metadata.DeepClone();
        c["source"] = NotebookDocument.ToLines(Source);
        foreach (var (key, value) in Extra)
        {
            c[key] = value?.DeepClone();
        }
        if (IsCode)
        {
            c["execution_count"] = ExecutionCount;
            c["outputs"] = Outputs.DeepClone();
        }
        return c;
    }
}
