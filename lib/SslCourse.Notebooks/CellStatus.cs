namespace SslCourse.Notebooks;

/// <summary>What happened to one code cell: the runner records it, the grader reads it (<see cref="CellRunMetadata"/>).</summary>
public enum CellStatus
{
    /// <summary>Not executed (an earlier cell stopped the notebook, or it is markdown).</summary>
    NotRun,

    /// <summary>Ran without error.</summary>
    Ok,

    /// <summary>Raised an error or failed to compile.</summary>
    Failed,

    /// <summary>Exceeded the per-cell or whole-notebook timeout.</summary>
    Timeout,

    /// <summary>The child process died while running it (Environment.Exit, stack overflow, out of memory, kill).</summary>
    Crashed,
}
