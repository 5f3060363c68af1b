using System.Text.Json.Nodes;

namespace SslCourse.Runner.Tests;

/// <summary>Writes small .ipynb files for tests.</summary>
internal static class NotebookFiles
{
    /// <summary>A code cell, optionally tagged.</summary>
    public static JsonObject Code(string source, params string[] tags) => new()
    {
        ["cell_type"] = "code",
        ["id"] = Guid.NewGuid().ToString("N")[..8],
        ["metadata"] = tags.Length == 0 ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray()) },
        ["source"] = source,
        ["outputs"] = new JsonArray(),
        ["execution_count"] = null,
    };

    /// <summary>A markdown cell.</summary>
    public static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown",
        ["id"] = Guid.NewGuid().ToString("N")[..8],
        ["metadata"] = new JsonObject { ["custom"] = "kept" },
        ["source"] = source,
    };

    /// <summary>Writes a C# notebook (kernelspec .net-csharp) and returns its path.</summary>
    public static string Write(string folder, string name, params JsonObject[] cells) =>
        WriteWithLanguage(folder, name, "C#", cells);

    /// <summary>Writes a notebook whose kernelspec names <paramref name="language"/>.</summary>
    public static string WriteWithLanguage(string folder, string name, string language, params JsonObject[] cells)
    {
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET", ["language"] = language, ["name"] = ".net-" + language },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }

    /// <summary>Reads an executed notebook.</summary>
    public static JsonObject Read(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    /// <summary>All output objects of all cells.</summary>
    public static IEnumerable<JsonObject> Outputs(JsonObject nb) =>
        nb["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).OfType<JsonObject>();

    /// <summary>Joins nbformat multiline text.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        null => "",
        _ => (string?)node ?? "",
    };
}
