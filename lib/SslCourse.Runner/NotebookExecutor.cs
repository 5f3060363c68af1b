using System.Diagnostics;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// Runs notebooks, each in its own child process, so that a notebook that exits, crashes, exhausts memory
/// or hangs still yields a result. This is the library entry point for tools built on the runner (e.g. grading).
/// </summary>
public static class NotebookExecutor
{
    /// <summary>Loads a notebook, checks it is runnable C#, and injects parameters.</summary>
    /// <param name="path">An .ipynb or .dib file.</param>
    /// <param name="parameters">Parameters to inject (may be empty).</param>
    /// <param name="warning">A warning to show the user, or null.</param>
    /// <exception cref="NotebookFormatException">The notebook cannot be run.</exception>
    public static NotebookDocument Prepare(string path, IReadOnlyList<KeyValuePair<string, string>> parameters, out string? warning)
    {
        var name = Path.GetFileName(path);
        var doc = NotebookReader.Load(path);
        if (NotebookLanguage.KernelspecOf(doc) is { } spec && spec != "csharp")
        {
            throw new NotebookFormatException(path, $"kernelspec language '{spec}' is not C# (only C# runs, whatever the Polyglot metadata says)");
        }
        var defaultLanguage = NotebookLanguage.DefaultOf(doc);
        for (var i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            if (cell.IsCode && NotebookLanguage.Of(cell, defaultLanguage) is var language && language != "csharp")
            {
                throw new NotebookFormatException(path, $"unknown kernel language '{language}' in cell {i + 1} (only C# runs)");
            }
        }
        warning = ParameterInjector.Inject(doc, parameters, name);
        return doc;
    }

    /// <summary>Prepares and runs one notebook in a child process.</summary>
    /// <param name="path">An .ipynb or .dib file.</param>
    /// <param name="options">Limits, parameters and output path.</param>
    /// <param name="cancellationToken">Cancels the run (the child is killed).</param>
    /// <exception cref="NotebookFormatException">The notebook cannot be run.</exception>
    public static Task<NotebookResult> ExecuteAsync(string path, ExecutionOptions options, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(path, options.Parameters, out var warning);
        if (warning is not null)
        {
            options.Progress?.WriteLine(warning);
        }
        return ExecuteAsync(path, prepared, options, cancellationToken);
    }

    /// <summary>Runs an already prepared notebook (see <see cref="Prepare"/>) in a child process.</summary>
    /// <param name="path">The original notebook path: names the notebook and (unless <see cref="ExecutionOptions.WorkingDirectory"/> is set) sets the working directory.</param>
    /// <param name="prepared">The prepared notebook.</param>
    /// <param name="options">Limits and output path (parameters are already injected).</param>
    /// <param name="cancellationToken">Cancels the run (the child is killed).</param>
    public static async Task<NotebookResult> ExecuteAsync(string path, NotebookDocument prepared, ExecutionOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var name = Path.GetFileName(path);
        var input = prepared.Clone();
        foreach (var cell in input.Cells)
        {
            // Only what the runner observes this time may count: no outputs or status carried in from the file.
            cell.Outputs = [];
            cell.ExecutionCount = null;
            cell.Metadata.Remove(CellRunMetadata.Key);
        }
        var workDir = Path.GetFullPath(options.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
        var child = new ChildArguments(workDir, name, options.CellTimeout, options.MaxCellOutputBytes, options.StopOnError);
        using var judge = options.Judge is { } spec ? new JudgeSession(spec, options.CellTimeout, options.MaxCellOutputBytes, options.Progress) : null;
        judge?.Start(options.Parameters, name);
        if (judge is not null)
        {
            await judge.PrepareOnceAsync();
        }
        var run = await ChildProcess.RunAsync(child, input, options, judge, cancellationToken);
        var result = Collect(path, input, run, clock.Elapsed.TotalSeconds);
        if (judge is not null)
        {
            JudgeMerge.Apply(result.Executed, result.Cells, judge);
        }
        if (options.OutputPath is not null)
        {
            result.Executed.Save(options.OutputPath);
        }
        return result;
    }

    private static NotebookResult Collect(string path, NotebookDocument input, ChildProcess.Outcome run, double seconds)
    {
        var live = run.Live;
        var executed = input.Clone();
        var cells = new List<CellResult>();
        foreach (var (i, r, outputs, count) in live.Cells)
        {
            var cell = executed.Cells[i];
            cell.Outputs = (JsonArray)outputs.DeepClone();
            cell.ExecutionCount = count;
            cell.Metadata[CellRunMetadata.Key] = ChildSession.CellMetadata(r);
            cells.Add(r);
        }
        if (live.Rejected > 0)
        {
            // Notebook code wrote lines that look like the runner's results but fail verification: worth a note.
            executed.Metadata[CellRunMetadata.Key] = new JsonObject { [CellRunMetadata.RejectedChannelLines] = live.Rejected };
        }
        string? error = null;
        var clean = run.KilledBecause is null && run.ExitCode is 0 or 1 or ChildSession.ExitCellTimeout && live.Phase == RunPhase.Done;
        if (!clean)
        {
            var why = run.KilledBecause
                      ?? (live.Phase == RunPhase.Exited ? $"the notebook ended the process (exit code {run.ExitCode})"
                                                 : $"child process crashed (exit code {run.ExitCode}){Tail(run.StderrLines)}");
            if (live.CurrentCell is { } i && i < executed.Cells.Count)
            {
                var cell = executed.Cells[i];
                var r = new CellResult
                {
                    Index = i + 1,
                    FirstLine = cell.FirstLine,
                    Status = run.TimedOut ? CellStatus.Timeout : CellStatus.Crashed,
                    Stop = run.Stop ?? (live.Phase == RunPhase.Exited ? StopReason.Exited : StopReason.Crashed),
                    Seconds = live.CurrentCellSeconds,
                    Error = why,
                };
                cells.Add(r);
                cell.ExecutionCount = live.Counts.GetValueOrDefault(i);
                cell.Outputs = live.ExitedOutputs is { } exited ? (JsonArray)exited.DeepClone() : [];
                cell.Outputs.Add(new JsonObject
                {
                    ["output_type"] = "error",
                    ["ename"] = run.TimedOut ? ErrorNames.NotebookTimeout : ErrorNames.NotebookCrashed,
                    ["evalue"] = why,
                    ["traceback"] = new JsonArray(why),
                });
                cell.Metadata[CellRunMetadata.Key] = ChildSession.CellMetadata(r);
                run.Progress?.WriteLine(ProgressLine.Format(Path.GetFileName(path), r, executed.Cells.Count));
            }
            else
            {
                error = live.Phase == RunPhase.Starting ? $"kernel did not start: {why}" : why;
            }
        }
        return new NotebookResult
        {
            SourcePath = path,
            Executed = executed,
            Cells = cells,
            Seconds = seconds,
            KernelStartSeconds = live.KernelStartSeconds,
            ChildExitCode = run.ExitCode,
            Error = error,
        };
    }

    private static string Tail(IReadOnlyList<string> lines) =>
        lines.FirstOrDefault(l => l.Trim().Length > 0) is { } first ? ": " + first.Trim() : "";
}
