using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Runner;

/// <summary>
/// An nbformat 4 notebook in memory, read from .ipynb or .dib and always written as .ipynb
/// (a .dib cannot hold outputs). Reusable by anything that reads or writes course notebooks.
/// </summary>
public sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Notebook-level metadata (kernelspec, language_info, polyglot_notebook, ...).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; } = [];

    /// <summary>nbformat minor version; 5 and above requires cell ids.</summary>
    public int NbFormatMinor { get; set; } = 5;

    /// <summary>Reads a notebook by extension (.ipynb or .dib).</summary>
    /// <param name="path">The notebook file.</param>
    /// <exception cref="NotebookFormatException">Missing file, malformed content or unsupported extension.</exception>
    public static NotebookDocument Load(string path)
    {
        if (Directory.Exists(path))
        {
            throw new NotebookFormatException(path, "is a folder, not a notebook");
        }
        if (!File.Exists(path))
        {
            throw new NotebookFormatException(path, "file not found");
        }
        var text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => ParseIpynb(text, path),
            ".dib" => DibReader.Parse(text),
            _ => throw new NotebookFormatException(path, "not a notebook (expected .ipynb or .dib)"),
        };
    }

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
            throw new NotebookFormatException(name, $"malformed JSON: {FirstLineOf(e.Message)}");
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
        foreach (var node in cells)
        {
            doc.Cells.Add(ReadCell(node, name));
        }
        return doc;
    }

    /// <summary>Serializes to nbformat 4 JSON.</summary>
    public string ToIpynbJson()
    {
        var cells = new JsonArray();
        foreach (var cell in Cells)
        {
            cells.Add(WriteCell(cell));
        }
        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = Metadata.DeepClone(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = NbFormatMinor,
        };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Writes the notebook as .ipynb atomically.</summary>
    /// <param name="path">Destination path.</param>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToIpynbJson());

    /// <summary>A deep copy, so executing a copy never alters the original.</summary>
    public NotebookDocument Clone() => ParseIpynb(ToIpynbJson(), "(clone)");

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

    private static NotebookCell ReadCell(JsonNode? node, string name)
    {
        if (node is not JsonObject c || c["cell_type"]?.GetValueKind() != JsonValueKind.String)
        {
            throw new NotebookFormatException(name, "not a notebook (a cell has no \"cell_type\")");
        }
        var cell = new NotebookCell(c["cell_type"]!.GetValue<string>(), JoinText(c["source"]))
        {
            Id = c["id"]?.GetValueKind() == JsonValueKind.String ? c["id"]!.GetValue<string>() : null,
            Metadata = c["metadata"] is JsonObject m ? (JsonObject)m.DeepClone() : [],
            Outputs = c["outputs"] is JsonArray o ? (JsonArray)o.DeepClone() : [],
            ExecutionCount = c["execution_count"]?.GetValueKind() == JsonValueKind.Number ? c["execution_count"]!.GetValue<int>() : null,
        };
        foreach (var (key, value) in c)
        {
            if (key is not ("cell_type" or "source" or "id" or "metadata" or "outputs" or "execution_count"))
            {
                cell.Extra[key] = value?.DeepClone();
            }
        }
        return cell;
    }

    private static JsonObject WriteCell(NotebookCell cell)
    {
        var c = new JsonObject { ["cell_type"] = cell.CellType };
        if (cell.Id is not null)
        {
            c["id"] = cell.Id;
        }
        c["metadata"] = cell.Metadata.DeepClone();
        c["source"] = ToLines(cell.Source);
        foreach (var (key, value) in cell.Extra)
        {
            c[key] = value?.DeepClone();
        }
        if (cell.IsCode)
        {
            c["execution_count"] = cell.ExecutionCount;
            c["outputs"] = cell.Outputs.DeepClone();
        }
        return c;
    }

    private static string FirstLineOf(string s) => s.Split('\n')[0].Trim();
}
