using System.Text.Json;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Works out which kernel language a notebook or cell is written in; the runner only runs C#.</summary>
public static class NotebookLanguage
{
    /// <summary>Kernel names (with aliases) a Polyglot notebook may use; anything but C# and markdown is refused.</summary>
    public static IReadOnlyDictionary<string, string[]> KnownKernels { get; } = new Dictionary<string, string[]>
    {
        ["csharp"] = ["c#", "C#"],
        ["fsharp"] = ["f#", "F#"],
        ["pwsh"] = ["powershell"],
        ["javascript"] = ["js"],
        ["markdown"] = ["md"],
        ["html"] = [],
        ["sql"] = [],
        ["kql"] = [],
        ["mermaid"] = [],
        ["http"] = [],
        ["value"] = [],
        ["python"] = [],
    };

    /// <summary>Normalizes a kernel or language name: every spelling of C# becomes <c>csharp</c>.</summary>
    /// <param name="name">A kernelspec name/language or Polyglot kernel name.</param>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "csharp" or "c#" or ".net-csharp" or "cs" => "csharp",
        "fsharp" or "f#" or ".net-fsharp" => "fsharp",
        "powershell" or ".net-pwsh" or ".net-powershell" => "pwsh",
        "md" => "markdown",
        var other => other,
    };

    /// <summary>The notebook's default kernel language (C# when nothing says otherwise).</summary>
    /// <param name="doc">The notebook.</param>
    public static string DefaultOf(NotebookDocument doc)
    {
        var m = doc.Metadata;
        var name = Str(m["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"])
                   ?? Str(m["kernelspec"]?["language"])
                   ?? Str(m["kernelspec"]?["name"])
                   ?? Str(m["language_info"]?["name"])
                   ?? "csharp";
        return Normalize(name);
    }

    /// <summary>
    /// The language the notebook's kernelspec names (its <c>language</c>, else its <c>name</c>), or null when it has
    /// none. A notebook saved for another kernel (python3, F#) is refused whatever its Polyglot metadata says:
    /// Jupyter would run it in that kernel.
    /// </summary>
    /// <param name="doc">The notebook.</param>
    public static string? KernelspecOf(NotebookDocument doc)
    {
        var spec = doc.Metadata["kernelspec"];
        var name = Str(spec?["language"]) ?? Str(spec?["name"]);
        return name is null ? null : Normalize(name);
    }

    /// <summary>The language a code cell runs in: a leading <c>#!kernel</c> line, cell metadata, else the notebook default.</summary>
    /// <param name="cell">A code cell.</param>
    /// <param name="notebookDefault">Result of <see cref="DefaultOf"/>.</param>
    public static string Of(NotebookCell cell, string notebookDefault)
    {
        var first = cell.Source.TrimStart().Split('\n')[0].Trim();
        if (first.StartsWith("#!", StringComparison.Ordinal))
        {
            var magic = Normalize(first[2..]);
            if (KnownKernels.ContainsKey(magic))
            {
                return magic;
            }
        }
        var name = Str(cell.Metadata["polyglot_notebook"]?["kernelName"])
                   ?? Str(cell.Metadata["dotnet_interactive"]?["language"]);
        return name is null ? notebookDefault : Normalize(name);
    }

    /// <summary>Metadata for a C# notebook as Polyglot Notebooks writes it (used for .dib → .ipynb).</summary>
    public static JsonObject CSharpNotebookMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "C#" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    private static string? Str(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
