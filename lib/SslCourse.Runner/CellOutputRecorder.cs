using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// Turns the kernel events of one cell into nbformat outputs, capping their total size.
/// Thread-safe: events arrive on kernel threads while the process-exit hook may take a snapshot.
/// </summary>
internal sealed class CellOutputRecorder(int executionCount, long maxBytes)
{
    private readonly Lock _gate = new();
    private readonly JsonArray _outputs = [];
    private long _bytes;

    // Stream text is accumulated here and copied into the JSON on snapshot; appending to JSON strings is quadratic.
    private readonly Dictionary<JsonObject, StringBuilder> _streamText = new(ReferenceEqualityComparer.Instance);

    /// <summary>True once output was dropped for exceeding the cap.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Message of the first error (failure or error output), if any.</summary>
    public string? Error { get; private set; }

    /// <summary>Records one kernel event.</summary>
    public void Record(KernelEvent e)
    {
        lock (_gate)
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    AppendStream("stdout", Plain(o.FormattedValues));
                    break;
                case StandardErrorValueProduced o:
                    AppendStream("stderr", Plain(o.FormattedValues));
                    break;
                case ReturnValueProduced r:
                    AddData("execute_result", r);
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null && Find(u.ValueId) is { } existing:
                    // Jupyter semantics: an update replaces the earlier display in place.
                    existing["data"] = Data(u);
                    break;
                case DisplayedValueProduced d:
                    AddData("display_data", d);
                    break;
                case ErrorProduced err:
                    AddError("Error", err.Message);
                    break;
                case CommandFailed f:
                    AddError(f.Exception?.GetType().Name ?? "Error", f.Message, f.Exception?.Message);
                    break;
            }
        }
    }

    /// <summary>Records a failure the runner itself detected (timeout, crash).</summary>
    public void Fail(string ename, string message)
    {
        lock (_gate)
        {
            AddError(ename, message);
        }
    }

    /// <summary>A copy of the outputs so far.</summary>
    public JsonArray Snapshot()
    {
        lock (_gate)
        {
            foreach (var (output, text) in _streamText)
            {
                output["text"] = text.ToString();
            }
            return (JsonArray)_outputs.DeepClone();
        }
    }

    private void AppendStream(string name, string text)
    {
        if (Truncated)
        {
            return;
        }
        var cut = false;
        var remaining = maxBytes - _bytes;
        if (Encoding.UTF8.GetByteCount(text) > remaining)
        {
            // Keep what fits of a huge write so the reader sees where it was cut (chars ≈ bytes for typical output).
            text = text[..(int)Math.Clamp(remaining, 0, text.Length)];
            while (text.Length > 0 && Encoding.UTF8.GetByteCount(text) > remaining)
            {
                text = text[..^1];
            }
            cut = true;
        }
        _bytes += Encoding.UTF8.GetByteCount(text);
        if (text.Length > 0)
        {
            // Consecutive writes to one stream form one output, as in Jupyter.
            if (_outputs.Count > 0 && _outputs[^1] is JsonObject last && _streamText.TryGetValue(last, out var open) && (string?)last["name"] == name)
            {
                open.Append(text);
            }
            else
            {
                var output = new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = "" };
                _streamText[output] = new StringBuilder(text);
                _outputs.Add(output);
            }
        }
        if (cut)
        {
            MarkTruncated();
        }
    }

    private void AddData(string outputType, DisplayEvent e)
    {
        var data = Data(e);
        var size = data.Sum(kv => (long)(kv.Value?.ToJsonString().Length ?? 0));
        if (!Admit(size))
        {
            return;
        }
        var valueId = e.ValueId;
        var output = new JsonObject { ["output_type"] = outputType, ["data"] = data, ["metadata"] = new JsonObject() };
        if (outputType == "execute_result")
        {
            output["execution_count"] = executionCount;
        }
        if (valueId is not null)
        {
            output["transient"] = new JsonObject { ["display_id"] = valueId };
        }
        _outputs.Add(output);
    }

    private void AddError(string ename, string message, string? evalue = null)
    {
        Error ??= message;
        // A cell's failure shows once even if both ErrorProduced and CommandFailed report it.
        if (_outputs.OfType<JsonObject>().Any(o => (string?)o["output_type"] == "error" && (string?)o["traceback"]?[0] == message.Split('\n')[0].TrimEnd('\r')))
        {
            return;
        }
        var traceback = new JsonArray();
        foreach (var line in message.Split('\n'))
        {
            traceback.Add(line.TrimEnd('\r'));
        }
        _outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue ?? message, ["traceback"] = traceback });
    }

    private bool Admit(long size)
    {
        if (Truncated)
        {
            return false;
        }
        if (_bytes + size > maxBytes)
        {
            MarkTruncated();
            return false;
        }
        _bytes += size;
        return true;
    }

    private void MarkTruncated()
    {
        Truncated = true;
        _outputs.Add(new JsonObject
        {
            ["output_type"] = "stream",
            ["name"] = "stderr",
            ["text"] = $"[output truncated: cell exceeded {maxBytes} bytes]\n",
        });
    }

    private JsonObject? Find(string valueId) =>
        _outputs.OfType<JsonObject>().LastOrDefault(o => (string?)o["transient"]?["display_id"] == valueId);

    private static string Plain(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? values.FirstOrDefault()?.Value ?? "";

    private static JsonObject Data(DisplayEvent e)
    {
        var data = new JsonObject();
        foreach (var v in e.FormattedValues)
        {
            data[v.MimeType] = IsJson(v.MimeType) && TryParse(v.Value) is { } json ? json : NotebookDocument.ToLines(v.Value ?? "");
        }
        // nbformat readers (and graders) rely on text/plain; the kernel only formats the preferred MIME type.
        if (!data.ContainsKey(PlainTextFormatter.MimeType) && e.Value is { } value && PlainText(value) is { } plain)
        {
            data[PlainTextFormatter.MimeType] = NotebookDocument.ToLines(plain);
        }
        return data;
    }

    private static string? PlainText(object value)
    {
        try
        {
            return value.ToDisplayString(PlainTextFormatter.MimeType);
        }
        catch (Exception)
        {
            // A user formatter that throws must not fail the cell that displayed the value.
            return null;
        }
    }

    private static bool IsJson(string mime) => mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal);

    private static JsonNode? TryParse(string? text)
    {
        try
        {
            return text is null ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
