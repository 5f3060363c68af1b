using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>Reads the runner's per-cell status and error out of an executed notebook.</summary>
internal static class CellOutcome
{
    /// <summary>ok, failed, timeout, crashed, or null (not run).</summary>
    public static string? Status(NotebookCell cell) => (string?)cell.Metadata["sslcourse"]?["status"];

    /// <summary>A learner-facing message for a failed cell: the check's paragraph, "not implemented yet", a compile error, ...</summary>
    public static string Message(NotebookCell cell)
    {
        var error = cell.Outputs.OfType<JsonObject>().FirstOrDefault(o => (string?)o["output_type"] == "error");
        var ename = (string?)error?["ename"] ?? "";
        var evalue = ((string?)error?["evalue"] ?? "").Trim();
        return ename switch
        {
            "CheckFailedException" => evalue,
            "NotImplementedException" => "not implemented yet: a function this check calls still throws NotImplementedException (replace the stub with your solution).",
            "CodeSubmissionCompilationErrorException" => $"the check does not compile against your code: {FirstLine(evalue)}",
            "CellTimeout" or "NotebookTimeout" => $"timed out: {FirstLine(evalue)}",
            "NotebookCrashed" => $"the notebook process ended here: {FirstLine(evalue)}",
            "" => Status(cell) == "timeout" ? "timed out" : "failed without an error message",
            _ => $"{ename}: {FirstLine(evalue)}",
        };
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
