using SslCourse.Notebooks;
using System.Globalization;

namespace SslCourse.Runner;

/// <summary>The one-line-per-cell progress format shared by parent and child.</summary>
internal static class ProgressLine
{
    public static string Format(string notebook, CellResult r, int totalCells)
    {
        var status = r.Status switch
        {
            CellStatus.Ok => "ok",
            CellStatus.Failed => "FAILED",
            CellStatus.Timeout => "TIMEOUT",
            CellStatus.Crashed => "CRASHED",
            _ => "not run",
        };
        return string.Create(CultureInfo.InvariantCulture, $"[{notebook}] cell {r.Index}/{totalCells} \"{r.FirstLine}\" {r.Seconds:0.0}s {status}");
    }
}
