using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// One line per request and one per reply between the grader and its long-lived runner (<c>sslcourse serve</c>):
/// the request is an <see cref="ExecutionRequest"/> as JSON (without its progress writer), the reply the exit code
/// (0 every cell ok, 1 a cell failed, 2 bad input), an error and the seconds taken.
/// </summary>
public static class ServeProtocol
{
    /// <summary>Prefix of a reply line (other lines on the server's stdout are not replies).</summary>
    public const string ReplyPrefix = "@@sslcourse-serve ";

    /// <summary>The request as one line of JSON.</summary>
    public static string Request(ExecutionRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var l = r.Limits;
        return new JsonObject
        {
            ["notebook"] = r.NotebookPath,
            ["out"] = r.OutputPath,
            ["workdir"] = r.WorkingDirectory,
            ["tmp"] = r.TempDirectory,
            ["params"] = new JsonArray(r.Parameters.Select(p => (JsonNode)new JsonArray(p.Key, p.Value)).ToArray()),
            ["sandbox"] = r.Sandbox,
            ["readOnly"] = Strings(r.ReadOnlyPaths),
            ["limits"] = new JsonObject
            {
                ["cellTimeout"] = l.CellTimeout.TotalSeconds,
                ["timeout"] = l.NotebookTimeout.TotalSeconds,
                ["memoryMb"] = l.MemoryLimitMb,
                ["maxCellOutput"] = l.MaxCellOutputBytes,
                ["scratchMb"] = l.ScratchMb,
                ["tmpMb"] = l.TmpMb,
                ["maxProcesses"] = l.MaxProcesses,
                ["env"] = Strings(l.EnvironmentNames),
            },
            ["judge"] = r.Judge is not { } j ? null : new JsonObject
            {
                ["dir"] = j.Directory,
                ["prelude"] = new JsonArray(j.Prelude.Select(c => (JsonNode)new JsonObject { ["source"] = c.Source, ["parameters"] = c.IsParameters }).ToArray()),
                ["stubs"] = j.Stubs,
                ["checks"] = new JsonObject(j.Checks.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            },
        }.ToJsonString();
    }

    /// <summary>Reads a request line.</summary>
    /// <exception cref="NotebookFormatException">The line is not a request.</exception>
    public static ExecutionRequest ParseRequest(string line)
    {
        try
        {
            var m = JsonNode.Parse(line)!.AsObject();
            var l = m["limits"]!.AsObject();
            var j = m["judge"] as JsonObject;
            return new ExecutionRequest
            {
                NotebookPath = (string)m["notebook"]!,
                OutputPath = (string)m["out"]!,
                WorkingDirectory = (string?)m["workdir"],
                TempDirectory = (string?)m["tmp"],
                Parameters = m["params"]!.AsArray().Select(p => KeyValuePair.Create((string)p![0]!, (string)p[1]!)).ToList(),
                Sandbox = (bool)m["sandbox"]!,
                ReadOnlyPaths = List(m["readOnly"]),
                Limits = new SandboxLimits
                {
                    CellTimeout = TimeSpan.FromSeconds((double)l["cellTimeout"]!),
                    NotebookTimeout = TimeSpan.FromSeconds((double)l["timeout"]!),
                    MemoryLimitMb = (long)l["memoryMb"]!,
                    MaxCellOutputBytes = (long)l["maxCellOutput"]!,
                    ScratchMb = (long)l["scratchMb"]!,
                    TmpMb = (long)l["tmpMb"]!,
                    MaxProcesses = (int)l["maxProcesses"]!,
                    EnvironmentNames = List(l["env"]),
                },
                Judge = j is null ? null : new JudgeSpec(
                    (string)j["dir"]!,
                    j["prelude"]!.AsArray().Select(c => new JudgeCell((string)c!["source"]!, (bool)c["parameters"]!)).ToList(),
                    (string)j["stubs"]!,
                    j["checks"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal)),
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new NotebookFormatException("serve", $"not a run request ({e.Message})");
        }
    }

    /// <summary>A reply line.</summary>
    public static JsonObject Reply(int? exitCode, string? error, double seconds) =>
        new() { ["exit"] = exitCode, ["error"] = error, ["seconds"] = Math.Round(seconds, 3) };

    /// <summary>Reads a reply line.</summary>
    public static ExecutionOutcome ParseReply(string line)
    {
        var m = JsonNode.Parse(line)!.AsObject();
        return new ExecutionOutcome((int?)m["exit"], (string?)m["error"], (double?)m["seconds"] ?? 0);
    }

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(s => (JsonNode)s).ToArray());

    private static List<string> List(JsonNode? n) => n!.AsArray().Select(s => (string)s!).ToList();
}
