using System.Text.Json.Nodes;

namespace SslCourse.Notebooks.Tests.Kernel;

/// <summary>One value the kernel showed: a display, a display update or a cell's return value.</summary>
/// <param name="Kind">The event type, e.g. <c>DisplayedValueProduced</c>.</param>
/// <param name="ValueId">The display id (null for return values).</param>
/// <param name="Values">MIME type → formatted value.</param>
public sealed record ShownValue(string Kind, string? ValueId, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>True for a course chart: text/html that holds the chart's div.</summary>
    public bool IsChart => Kind != "DisplayedValueUpdated" && Values.TryGetValue("text/html", out var html) && html.Contains("class=\"sslcourse-chart\"", StringComparison.Ordinal);
}

/// <summary>What one submitted cell produced, as the kernel reported it over stdio.</summary>
public sealed class CellEvents
{
    /// <summary>Standard output, in order.</summary>
    public System.Text.StringBuilder Stdout { get; } = new();

    /// <summary>Standard error, in order.</summary>
    public System.Text.StringBuilder Stderr { get; } = new();

    /// <summary>Displays, updates and return values, in order.</summary>
    public List<ShownValue> Shown { get; } = [];

    /// <summary>Compiler diagnostics (errors only) as "(line,col): message".</summary>
    public List<(int Line, string Message)> Errors { get; } = [];

    /// <summary>Compiler warnings (and any other non-error diagnostics) as "Warning CSxxxx: message".</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>True once CommandSucceeded or CommandFailed arrived for the cell's own token.</summary>
    public bool Completed { get; set; }

    /// <summary>The kernel's error text when the cell failed; null when it succeeded.</summary>
    public string? Failure { get; set; }

    /// <summary>Seconds the cell took, measured by the host.</summary>
    public double Seconds { get; set; }

    /// <summary>Adds the event <paramref name="type"/> with body <paramref name="body"/>.</summary>
    public void Add(string type, JsonObject body)
    {
        switch (type)
        {
            case "StandardOutputValueProduced":
            case "StandardErrorValueProduced":
                var text = Formatted(body).GetValueOrDefault("text/plain") ?? "";
                (type == "StandardOutputValueProduced" ? Stdout : Stderr).Append(text);
                break;
            case "DisplayedValueProduced":
            case "DisplayedValueUpdated":
            case "ReturnValueProduced":
                Shown.Add(new ShownValue(type, (string?)body["valueId"], Formatted(body)));
                break;
            case "DiagnosticsProduced":
                foreach (var d in body["diagnostics"]?.AsArray() ?? [])
                    if ((string?)d?["severity"] == "Error")
                        Errors.Add(((int?)d!["linePositionSpan"]?["start"]?["line"] ?? 0, (string?)d["message"] ?? ""));
                    else if (d is not null)
                        Warnings.Add($"{(string?)d["severity"]} {(string?)d["code"]}: {(string?)d["message"]}");
                break;
            case "CommandSucceeded":
                Completed = true;
                break;
            case "CommandFailed":
                Completed = true;
                Failure = (string?)body["message"] ?? "(no message)";
                break;
        }
    }

    private static Dictionary<string, string> Formatted(JsonObject body) =>
        (body["formattedValues"]?.AsArray() ?? [])
            .Where(v => v?["mimeType"] is not null)
            .GroupBy(v => (string)v!["mimeType"]!)
            .ToDictionary(g => g.Key, g => (string?)g.First()!["value"] ?? "");
}
