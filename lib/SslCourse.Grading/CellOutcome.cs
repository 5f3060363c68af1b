using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>Reads the runner's per-cell status and error out of an executed notebook.</summary>
internal static class CellOutcome
{
    /// <summary>The runner's status for the cell, or null (not run).</summary>
    public static CellStatus? Status(NotebookCell cell) => CellRunMetadata.Status(cell);

    /// <summary>The cell timed out or its process stopped there: the notebook did not go on.</summary>
    public static bool StoppedTheNotebook(NotebookCell cell) => Status(cell) is CellStatus.Timeout or CellStatus.Crashed;

    /// <summary>A short, deterministic reason (no measured numbers) for the gradebook, from the runner's typed record.</summary>
    public static string Category(NotebookCell cell) =>
        CellRunMetadata.Stop(cell) is StopReason.MemoryLimit ? "exceeded the memory limit"
        : CellRunMetadata.Stop(cell) is StopReason.Timeout || Status(cell) is CellStatus.Timeout ? "timed out"
        : "crashed the notebook process";

    /// <summary>A learner-facing message for a failed cell: the check's paragraph, "not implemented yet", a compile error, ...</summary>
    public static string Message(NotebookCell cell)
    {
        var error = cell.Outputs.OfType<JsonObject>().FirstOrDefault(o => (string?)o["output_type"] == "error");
        var ename = (string?)error?["ename"] ?? "";
        var evalue = ((string?)error?["evalue"] ?? "").Trim();
        return ename switch
        {
            ErrorNames.CheckFailed => evalue,
            ErrorNames.NotImplemented => "not implemented yet: a function this check calls still throws NotImplementedException (replace the stub with your solution).",
            ErrorNames.CompilationError => $"the check does not compile against your code: {FirstLine(evalue)}",
            ErrorNames.CellTimeout or ErrorNames.NotebookTimeout => $"timed out: {FirstLine(evalue)}",
            ErrorNames.NotebookCrashed => $"the notebook process ended here: {FirstLine(evalue)}",
            "" => Status(cell) is CellStatus.Timeout ? "timed out" : "failed without an error message",
            _ => $"{ename}: {FirstLine(evalue)}",
        };
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
