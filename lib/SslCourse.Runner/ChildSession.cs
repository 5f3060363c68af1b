using System.Diagnostics;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// The hidden <c>exec-one</c> verb: runs one prepared notebook in this (child) process, saving the partial
/// executed notebook and a status file after every cell so the parent can report even if this process dies.
/// </summary>
internal static class ChildSession
{
    /// <summary>Exit code after a cell timeout (the kernel cannot be trusted afterwards).</summary>
    public const int ExitCellTimeout = 3;

    public const string StateFile = "state.json";
    public const string PartialFile = "partial.ipynb";

    public static async Task<int> RunAsync(ChildArguments a)
    {
        // The kernel redirects Console.Error while code runs; progress must still reach the real stderr.
        var progress = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        var doc = NotebookDocument.Load(a.Notebook);
        foreach (var c in doc.Cells.Where(c => c.IsCode))
        {
            c.Outputs = [];
            c.ExecutionCount = null;
        }
        var statePath = Path.Combine(a.StateDir, StateFile);
        var partialPath = Path.Combine(a.StateDir, PartialFile);
        var state = new ChildState();
        var gate = new Lock();
        CellOutputRecorder? running = null;
        state.Save(statePath);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // Environment.Exit inside a cell: keep what that cell printed before it ended the process.
            lock (gate)
            {
                if (state.Phase == "running" && running is not null && state.CurrentCell is { } i)
                {
                    doc.Cells[i].Outputs = running.Snapshot();
                    state.Phase = "exited";
                    doc.Save(partialPath);
                    state.Save(statePath);
                }
            }
        };

        Directory.SetCurrentDirectory(a.WorkingDirectory);
        var clock = Stopwatch.StartNew();
        using var host = new KernelHost();
        await host.RunAsync("System.Environment.SetEnvironmentVariable(\"SSLCOURSE_HEADLESS\", \"1\");", new CellOutputRecorder(0, 0), TimeSpan.FromMinutes(2));
        state.KernelStartSeconds = clock.Elapsed.TotalSeconds;
        state.Phase = "running";

        var total = doc.Cells.Count;
        var count = 0;
        var anyFailed = false;
        for (var i = 0; i < total; i++)
        {
            var cell = doc.Cells[i];
            if (!cell.IsCode)
            {
                continue;
            }
            var recorder = new CellOutputRecorder(++count, a.MaxCellOutputBytes);
            lock (gate)
            {
                running = recorder;
                state.CurrentCell = i;
                state.CurrentCellStartedUtc = DateTime.UtcNow;
                cell.ExecutionCount = count;
                state.Save(statePath);
            }
            var sw = Stopwatch.StartNew();
            var ok = await host.RunAsync(cell.Source, recorder, a.CellTimeout);
            var seconds = sw.Elapsed.TotalSeconds;
            var status = ok switch { true => CellStatus.Ok, false => CellStatus.Failed, null => CellStatus.Timeout };
            if (status == CellStatus.Timeout)
            {
                recorder.Fail("CellTimeout", $"cell exceeded the cell timeout of {a.CellTimeout.TotalSeconds:0.#} s");
            }
            var result = new CellResult
            {
                Index = i + 1,
                FirstLine = cell.FirstLine,
                Status = status,
                Seconds = seconds,
                Error = status == CellStatus.Ok ? null : recorder.Error ?? "cell failed",
                OutputTruncated = recorder.Truncated,
            };
            lock (gate)
            {
                running = null;
                cell.Outputs = recorder.Snapshot();
                cell.ExecutionCount = count;
                cell.Metadata["sslcourse"] = CellMetadata(result);
                state.Cells.Add(result);
                state.CurrentCell = null;
                var stop = status == CellStatus.Timeout || (status == CellStatus.Failed && a.StopOnError);
                state.Phase = stop || i == total - 1 ? "done" : "running";
                doc.Save(partialPath);
                state.Save(statePath);
            }
            progress.WriteLine(ProgressLine.Format(a.Name, result, total));
            anyFailed |= status != CellStatus.Ok;
            if (status == CellStatus.Timeout)
            {
                // The runaway submission may never return, so leave without waiting for it.
                Environment.Exit(ExitCellTimeout);
            }
            if (status == CellStatus.Failed && a.StopOnError)
            {
                break;
            }
        }
        lock (gate)
        {
            state.Phase = "done";
            doc.Save(partialPath);
            state.Save(statePath);
        }
        return anyFailed ? 1 : 0;
    }

    /// <summary>Per-cell metadata the runner adds (papermill keeps the same facts under <c>papermill</c>).</summary>
    public static JsonObject CellMetadata(CellResult r)
    {
        var m = new JsonObject
        {
            ["status"] = r.Status.ToString().ToLowerInvariant(),
            ["duration"] = Math.Round(r.Seconds, 3),
        };
        if (r.OutputTruncated)
        {
            m["output_truncated"] = true;
        }
        return m;
    }
}
