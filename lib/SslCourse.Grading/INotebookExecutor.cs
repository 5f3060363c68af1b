namespace SslCourse.Grading;

/// <summary>Runs one notebook in isolation and writes the executed copy; the seam between grading and the runner.</summary>
public interface INotebookExecutor
{
    /// <summary>Executes <see cref="ExecutionRequest.NotebookPath"/> and writes it, with outputs and per-cell status, to <see cref="ExecutionRequest.OutputPath"/>.</summary>
    /// <param name="request">What to run and under which limits.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default);
}

/// <summary>One notebook run.</summary>
public sealed class ExecutionRequest
{
    /// <summary>The notebook; its folder is the working directory.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>Where the executed notebook goes. Per-cell status is in <c>metadata.sslcourse.status</c> (ok, failed, timeout, crashed; absent = not run).</summary>
    public required string OutputPath { get; init; }

    /// <summary>Parameters injected after the cell tagged <c>parameters</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Limits.</summary>
    public required SandboxLimits Limits { get; init; }

    /// <summary>A folder for the run's temporary files (TMPDIR), deleted by the caller.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>The notebook's working directory; null for the notebook's own folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Run the notebook in the bubblewrap sandbox (an in-memory working directory, <see cref="ReadOnlyPaths"/> readable, nothing else of the host's files).</summary>
    public bool Sandbox { get; init; }

    /// <summary>Folders the sandboxed notebook may read (the course library the master references); nothing else is bound.</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>
    /// The judge: check cells are judged outside the learner's process from the master's code (see <see cref="JudgeSpec"/>);
    /// null to run every cell in the notebook's own kernel (validate).
    /// </summary>
    public JudgeSpec? Judge { get; init; }

    /// <summary>Receives progress lines; null to discard.</summary>
    public TextWriter? Progress { get; init; }
}

/// <summary>How a run ended, beyond what the executed notebook says.</summary>
/// <param name="ExitCode">The executor's exit code (runner: 0 passed, 1 a cell failed, 2 bad input), or null if it was killed.</param>
/// <param name="Error">Why there is no executed notebook, or why the run as a whole failed; null otherwise.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record ExecutionOutcome(int? ExitCode, string? Error, double Seconds);
