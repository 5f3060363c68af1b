using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// Papermill-style parameters: a C# cell tagged <c>injected-parameters</c> goes right after the first cell
/// tagged <c>parameters</c> and reassigns the declared variables.
/// </summary>
public static partial class ParameterInjector
{
    /// <summary>Tag of the cell that declares parameters.</summary>
    public const string ParametersTag = NotebookCell.ParametersTag;

    /// <summary>Tag of the cell the runner inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Group names of the number-literal pattern; at most one matches (5 is int, 5L long, 5.0 double).</summary>
    private static readonly string[] NumberKinds = ["int", "long", "double"];

    /// <summary>Injects <paramref name="parameters"/> into <paramref name="doc"/>.</summary>
    /// <param name="doc">The notebook, modified in place.</param>
    /// <param name="parameters">Name/value pairs from the command line, in order.</param>
    /// <param name="file">Notebook name for error messages.</param>
    /// <returns>A warning to print, or null.</returns>
    /// <exception cref="NotebookFormatException">A parameter is not declared, or its value does not fit the declared type.</exception>
    public static string? Inject(NotebookDocument doc, IReadOnlyList<KeyValuePair<string, string>> parameters, string file)
    {
        if (parameters.Count == 0)
        {
            return null;
        }
        var index = doc.Cells.FindIndex(c => c.IsParameters);
        var code = new StringBuilder("// Parameters injected by sslcourse run\n");
        string? warning = null;
        if (index < 0)
        {
            // Nothing to reassign, so declare them (as strings: there is no declaration to take a type from).
            foreach (var (name, value) in parameters)
            {
                code.Append("var ").Append(name).Append(" = ").Append(Literal("string", value, name, file)).Append(";\n");
            }
            warning = $"sslcourse: {file}: warning: no cell tagged \"{ParametersTag}\"; parameters injected at the top";
        }
        else
        {
            var declared = Declarations(doc.Cells[index].Source);
            foreach (var (name, value) in parameters)
            {
                if (!declared.TryGetValue(name, out var type))
                {
                    throw new NotebookFormatException(file, $"parameter '{name}' is not declared in the parameters cell");
                }
                code.Append(name).Append(" = ").Append(Literal(type, value, name, file)).Append(";\n");
            }
        }
        var cell = new NotebookCell("code", code.ToString())
        {
            Id = doc.NbFormatMinor >= 5 || doc.Cells.Any(c => c.Id is not null) ? Guid.NewGuid().ToString("N")[..12] : null,
            Metadata = new JsonObject
            {
                ["tags"] = new JsonArray(InjectedTag),
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            },
        };
        doc.Cells.Insert(index + 1, cell);
        return warning;
    }

    /// <summary>Finds <c>type Name = ...;</c> declarations; <c>var</c> takes its type from the initializer.</summary>
    /// <param name="source">Source of the parameters cell.</param>
    public static IReadOnlyDictionary<string, string> Declarations(string source)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in DeclarationRegex().Matches(source))
        {
            var type = m.Groups["type"].Value;
            if (type == "var")
            {
                var init = m.Groups["init"].Value.Trim();
                var number = NumberRegex().Match(init);
                type = init is "true" or "false" ? "bool"
                    : number.Success ? NumberKinds.First(kind => number.Groups[kind].Success)
                    : "string";
            }
            result.TryAdd(m.Groups["name"].Value, type);
        }
        return result;
    }

    private static string Literal(string type, string value, string name, string file)
    {
        var invariant = CultureInfo.InvariantCulture;
        string Bad() => throw new NotebookFormatException(file, $"parameter '{name}': '{value}' is not a valid {type}");
        return type switch
        {
            "bool" => bool.TryParse(value, out var b) ? (b ? "true" : "false") : Bad(),
            "int" => int.TryParse(value, NumberStyles.Integer, invariant, out var i) ? i.ToString(invariant) : Bad(),
            "long" => long.TryParse(value, NumberStyles.Integer, invariant, out var l) ? l.ToString(invariant) + "L" : Bad(),
            "double" or "float" or "decimal" => double.TryParse(value, NumberStyles.Float, invariant, out var d)
                ? d.ToString("R", invariant) + type switch { "float" => "f", "decimal" => "m", _ => "d" }
                : Bad(),
            _ => StringLiteral(value),
        };
    }

    private static string StringLiteral(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in value)
        {
            sb.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    [GeneratedRegex(@"^[ \t]*(?:(?:public|static|readonly)\s+)*(?<type>var|string|int|double|float|decimal|bool|long)\??\s+(?<name>[A-Za-z_]\w*)\s*=\s*(?<init>[^;]*);", RegexOptions.Multiline)]
    private static partial Regex DeclarationRegex();

    [GeneratedRegex(@"^-?(?:(?<int>\d+)|(?<long>\d+[lL])|(?<double>(\d+\.\d*|\d*\.\d+|\d+)([eE][-+]?\d+)?[dDfFmM]?))$")]
    private static partial Regex NumberRegex();
}
