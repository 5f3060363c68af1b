using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Grading;

/// <summary>
/// An .ipynb as JSON, kept whole so release and grading change only what they mean to (sources, outputs)
/// and every other field survives.
/// </summary>
internal sealed class Notebook
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private Notebook(JsonObject root, List<JsonObject> cells)
    {
        Root = root;
        Cells = cells;
    }

    public JsonObject Root { get; }

    public List<JsonObject> Cells { get; }

    /// <exception cref="GradingFormatException">Missing file, not JSON, or not a notebook.</exception>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new GradingFormatException(path, "file not found");
        }
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <exception cref="GradingFormatException">Not JSON, or not a notebook.</exception>
    public static Notebook Parse(string json, string name)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new GradingFormatException(name, $"not valid JSON ({e.Message.Split('\n')[0].Trim()})");
        }
        if (root is not JsonObject obj || obj["cells"] is not JsonArray array)
        {
            throw new GradingFormatException(name, "not a notebook (no \"cells\" array)");
        }
        var cells = new List<JsonObject>();
        foreach (var node in array)
        {
            if (node is not JsonObject cell || cell["cell_type"] is not JsonValue)
            {
                throw new GradingFormatException(name, $"not a notebook (cell {cells.Count + 1} has no \"cell_type\")");
            }
            cells.Add(cell);
        }
        obj.Remove("cells");
        return new Notebook(obj, cells);
    }

    public string ToJson()
    {
        var root = (JsonObject)Root.DeepClone();
        var cells = new JsonArray();
        foreach (var cell in Cells)
        {
            cells.Add(cell.DeepClone());
        }
        // Jupyter writes "cells" first; keep that order for readable diffs.
        var ordered = new JsonObject { ["cells"] = cells };
        foreach (var (key, value) in root)
        {
            ordered[key] = value?.DeepClone();
        }
        return ordered.ToJsonString(Indented) + "\n";
    }

    public Notebook Clone() => Parse(ToJson(), "(clone)");

    public void Save(string path) => AtomicText.Write(path, ToJson());

    public static bool IsCode(JsonObject cell) => (string?)cell["cell_type"] == "code";

    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => "",
    };

    public static void SetSource(JsonObject cell, string source)
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
        cell["source"] = lines;
    }

    public static string? Id(JsonObject cell) => cell["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Clears outputs and execution counts, and the runner's per-cell metadata.</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells)
        {
            if (IsCode(cell))
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
            (cell["metadata"] as JsonObject)?.Remove("sslcourse");
        }
    }

    /// <summary>"cell 7 (id q1-check)": how messages name a cell (1-based, as editors show them).</summary>
    public static string Label(int index, JsonObject cell) =>
        Id(cell) is { } id ? $"cell {index + 1} (id {id})" : $"cell {index + 1}";
}
