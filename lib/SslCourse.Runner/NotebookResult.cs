using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Outcome of running one notebook.</summary>
public sealed class NotebookResult
{
    /// <summary>The notebook as given.</summary>
    public required string SourcePath { get; init; }

    /// <summary>File name used in reports.</summary>
    public string Name => Path.GetFileName(SourcePath);

    /// <summary>The executed notebook (outputs of the cells that ran).</summary>
    public required NotebookDocument Executed { get; init; }

    /// <summary>One entry per code cell that ran, or was running when the notebook stopped.</summary>
    public required IReadOnlyList<CellResult> Cells { get; init; }

    /// <summary>Wall time including kernel start.</summary>
    public double Seconds { get; init; }

    /// <summary>Kernel start time as measured by the child, when it got that far.</summary>
    public double? KernelStartSeconds { get; init; }

    /// <summary>Exit code of the child process (null when it was killed by the runner).</summary>
    public int? ChildExitCode { get; init; }

    /// <summary>Why the notebook as a whole failed when no cell explains it (crash before the first cell, timeout).</summary>
    public string? Error { get; init; }

    /// <summary>True when every cell ran and none failed.</summary>
    public bool Passed => Error is null && Cells.All(c => c.Status == CellStatus.Ok);

    /// <summary>The first cell that did not pass, if any.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => c.Status != CellStatus.Ok);
}
