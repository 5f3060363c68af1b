using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>
/// An nbformat 4 notebook (.ipynb) in memory: the one model the runner and the grader read and write.
/// Fields it does not interpret, at the top level and in cells, are kept, so a round trip loses nothing.
/// </summary>
public sealed class NotebookDocument
{
    // Non-ASCII text (✓, é, ...) stays readable in the file, as Jupyter writes it.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] KnownTopLevel = ["cells", "metadata", "nbformat", "nbformat_minor"];

    /// <summary>Notebook-level metadata (kernelspec, language_info, polyglot_notebook, ...).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; } = [];

    /// <summary>nbformat minor version; 5 and above requires cell ids.</summary>
    public int NbFormatMinor { get; set; } = 5;

    /// <summary>Top-level fields this model does not interpret, written back unchanged.</summary>
    public JsonObject Extra { get; set; } = [];

    /// <summary>Reads the text of a notebook file, refusing a folder or a missing file.</summary>
    /// <param name="path">The notebook file.</param>
    /// <exception cref="NotebookFormatException">The path is a folder or does not exist.</exception>
    public static string ReadText(string path)
    {
        if (Directory.Exists(path))
        {
            throw new NotebookFormatException(path, "is a folder, not a notebook");
        }
        if (!File.Exists(path))
        {
            throw new NotebookFormatException(path, "file not found");
        }
        return File.ReadAllText(path);
    }

    /// <summary>Reads an .ipynb file.</summary>
    /// <param name="path">The notebook file; it names the notebook in error messages.</param>
    /// <exception cref="NotebookFormatException">Missing file, malformed JSON or not nbformat 4.</exception>
    public static NotebookDocument Load(string path) => ParseIpynb(ReadText(path), path);

    /// <summary>Parses nbformat 4 JSON.</summary>
    /// <param name="json">The .ipynb text.</param>
    /// <param name="name">File name used in error messages.</param>
    /// <exception cref="NotebookFormatException">Malformed JSON or not nbformat 4.</exception>
    public static NotebookDocument ParseIpynb(string json, string name)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(name, $"malformed JSON: the file is not valid JSON ({FirstLineOf(e.Message)})");
        }
        if (root is not JsonObject obj || obj["cells"] is not JsonArray cells)
        {
            throw new NotebookFormatException(name, "not a notebook (no \"cells\" array)");
        }
        if (obj["nbformat"]?.GetValueKind() is JsonValueKind.Number && obj["nbformat"]!.GetValue<int>() != 4)
        {
            throw new NotebookFormatException(name, $"not a notebook (nbformat {obj["nbformat"]} is not 4)");
        }
        var doc = new NotebookDocument
        {
            Metadata = obj["metadata"] as JsonObject is { } m ? (JsonObject)m.DeepClone() : [],
            NbFormatMinor = obj["nbformat_minor"]?.GetValueKind() is JsonValueKind.Number ? obj["nbformat_minor"]!.GetValue<int>() : 5,
        };
        foreach (var (key, value) in obj)
        {
            if (!KnownTopLevel.Contains(key))
            {
                doc.Extra[key] = value?.DeepClone();
            }
        }
        foreach (var node in cells)
        {
            doc.Cells.Add(NotebookCell.FromJson(node, name, doc.Cells.Count));
        }
        return doc;
    }

    /// <summary>Serializes to nbformat 4 JSON (cells first, as Jupyter writes them).</summary>
    public string ToIpynbJson()
    {
        var cells = new JsonArray();
        foreach (var cell in Cells)
        {
            cells.Add(cell.ToJson());
        }
        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = Metadata.DeepClone(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = NbFormatMinor,
        };
        foreach (var (key, value) in Extra)
        {
            root[key] = value?.DeepClone();
        }
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Writes the notebook as .ipynb atomically.</summary>
    /// <param name="path">Destination path.</param>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToIpynbJson());

    /// <summary>A deep copy, so executing or releasing a copy never alters the original.</summary>
    public NotebookDocument Clone() => ParseIpynb(ToIpynbJson(), "(clone)");

    /// <summary>Clears outputs and execution counts, and the runner's per-cell status (<c>metadata.sslcourse</c>).</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells)
        {
            if (cell.IsCode)
            {
                cell.Outputs = [];
                cell.ExecutionCount = null;
            }
            cell.Metadata.Remove(CellRunMetadata.Key);
        }
    }

    /// <summary>How messages name cell <paramref name="index"/>: "cell 7 (id q1-check)", 1-based as editors show it.</summary>
    /// <param name="index">0-based index into <see cref="Cells"/>.</param>
    public string CellLabel(int index) =>
        Cells[index].Id is { } id ? $"cell {index + 1} (id {id})" : $"cell {index + 1}";

    /// <summary>Splits source into nbformat's list-of-lines form (each line keeps its newline).</summary>
    /// <param name="source">The source text.</param>
    public static JsonArray ToLines(string source)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                lines.Add(source[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < source.Length)
        {
            lines.Add(source[start..]);
        }
        return lines;
    }

    /// <summary>Joins nbformat multiline text (string or list of strings).</summary>
    /// <param name="node">A JSON string or array of strings.</param>
    public static string JoinText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray parts => string.Concat(parts.Select(p => p?.GetValueKind() == JsonValueKind.String ? p.GetValue<string>() : "")),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string FirstLineOf(string s) => s.Split('\n')[0].Trim();
}
