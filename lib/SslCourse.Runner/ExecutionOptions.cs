namespace SslCourse.Runner;

/// <summary>How <see cref="NotebookExecutor"/> runs one notebook.</summary>
public sealed class ExecutionOptions
{
    /// <summary>Parameters injected after the <c>parameters</c> cell, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Limit per cell; the child cancels the cell and stops the notebook.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Limit for the whole notebook; the parent kills the child's process tree.</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Stop at the first failing cell instead of running the rest.</summary>
    public bool StopOnError { get; init; }

    /// <summary>Output kept per cell; more is dropped with a truncation note.</summary>
    public long MaxCellOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>Memory (MB) of the notebook's whole process tree beyond which it is killed; null for no limit.</summary>
    public long? MemoryLimitMb { get; init; }

    /// <summary>Where to write the executed notebook (.ipynb), or null to only return it.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The notebook's working directory; null for the notebook's own folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Run the kernel in a bubblewrap sandbox with this view of the host; null to run it unsandboxed.</summary>
    public SandboxSpec? Sandbox { get; init; }

    /// <summary>
    /// The grader's judge: check cells (by id) are judged in this process from the master's code, calling the learner's
    /// functions in the child as data; null to run every cell as it is.
    /// </summary>
    public SslCourse.Grading.JudgeSpec? Judge { get; init; }

    /// <summary>TMPDIR of an unsandboxed child (a sandboxed one gets its private /tmp); null to inherit.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Receives progress lines (and the child's own stderr); null to discard.</summary>
    public TextWriter? Progress { get; init; }
}
