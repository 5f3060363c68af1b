using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>Why the runner stopped a notebook's process; recorded on the cell that was running.</summary>
public enum StopReason
{
    /// <summary>The whole-notebook timeout.</summary>
    Timeout,

    /// <summary>The memory limit (the runner's measurement or the kernel's OOM killer).</summary>
    MemoryLimit,

    /// <summary>Notebook code ended the process (Environment.Exit).</summary>
    Exited,

    /// <summary>The process died on its own (stack overflow, native crash, a kill from outside).</summary>
    Crashed,

    /// <summary>The run was cancelled.</summary>
    Cancelled,
}

/// <summary>The <c>ename</c> values of the error outputs the runner writes itself, and those of course code the grader explains.</summary>
public static class ErrorNames
{
    /// <summary>A cell ran past the per-cell timeout.</summary>
    public const string CellTimeout = "CellTimeout";

    /// <summary>The notebook ran past its timeout while this cell ran.</summary>
    public const string NotebookTimeout = "NotebookTimeout";

    /// <summary>The notebook's process ended while this cell ran.</summary>
    public const string NotebookCrashed = "NotebookCrashed";

    /// <summary>A course check failed (<c>SslCourse.Grading.CheckFailedException</c>).</summary>
    public const string CheckFailed = "CheckFailedException";

    /// <summary>A stub the learner has not replaced yet.</summary>
    public const string NotImplemented = "NotImplementedException";

    /// <summary>The C# kernel's compile error.</summary>
    public const string CompilationError = "CodeSubmissionCompilationErrorException";
}

/// <summary>
/// <c>metadata.sslcourse</c> of an executed cell: the runner writes it, the grader reads it, both through this type, so
/// neither matches the other's free text (papermill keeps the same facts under <c>papermill</c>).
/// </summary>
public static class CellRunMetadata
{
    /// <summary>The metadata key.</summary>
    public const string Key = "sslcourse";

    /// <summary>Notebook-level: how many lines on the results channel failed verification (forged or corrupted).</summary>
    public const string RejectedChannelLines = "rejected_channel_lines";

    /// <summary>The metadata object for one cell.</summary>
    public static JsonObject Create(CellStatus status, double seconds, bool outputTruncated = false, StopReason? stop = null)
    {
        var m = new JsonObject { ["status"] = Name(status), ["duration"] = Math.Round(seconds, 3) };
        if (outputTruncated) m["output_truncated"] = true;
        if (stop is { } s) m["stop"] = Name(s);
        return m;
    }

    /// <summary>The cell's recorded status, or null when the runner did not run it.</summary>
    public static CellStatus? Status(NotebookCell cell) =>
        (string?)cell.Metadata[Key]?["status"] is { } s && Parse<CellStatus>(s) is { } status ? status : null;

    /// <summary>Why the process stopped during this cell, or null when it did not.</summary>
    public static StopReason? Stop(NotebookCell cell) =>
        (string?)cell.Metadata[Key]?["stop"] is { } s ? Parse<StopReason>(s) : null;

    /// <summary>The recorded form: lower case with hyphens ("ok", "not-run", "memory-limit").</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static T? Parse<T>(string name) where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => Name(v!.Value) == name);
}
