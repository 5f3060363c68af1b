using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// The hidden <c>exec-one</c> verb: reads the results key and the prepared notebook from stdin, runs the notebook in
/// this (child) process and reports every cell to the parent over the signed <see cref="ResultChannel"/> on stdout the
/// moment it completes. Nothing is written to disk for the parent: a file could be rewritten by the notebook's code
/// (e.g. from a process-exit hook) after the kernel's last save.
/// </summary>
internal static class ChildSession
{
    /// <summary>Exit code after a cell timeout (the kernel cannot be trusted afterwards).</summary>
    public const int ExitCellTimeout = 3;

    public static async Task<int> RunAsync(ChildArguments a)
    {
        // Taken before the kernel redirects Console: progress goes to the real stderr, results to the real stdout.
        var progress = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        var results = Console.OpenStandardOutput();
        ResultChannel channel;
        NotebookDocument doc;
        // Read exactly the key and the notebook: stdin stays open for a judge's calls, which the probe reads later.
        using (var input = Console.OpenStandardInput())
        {
            channel = new ResultChannel(Convert.FromHexString(ReadLine(input).Trim()));
            var length = int.Parse(ReadLine(input).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var bytes = new byte[length];
            await input.ReadExactlyAsync(bytes);
            doc = NotebookDocument.ParseIpynb(Encoding.UTF8.GetString(bytes), a.Name);
        }
        var gate = new Lock();
        void Send(JsonObject message)
        {
            // The leading newline ends any partial line the notebook's own code left on this pipe.
            var bytes = Encoding.UTF8.GetBytes("\n" + channel.Sign(message) + "\n");
            lock (gate)
            {
                results.Write(bytes);
                results.Flush();
            }
        }

        // The exit hook sees only this report and the raw pipe, never the channel's key: a hook's delegate is
        // reachable by reflection from notebook code, and the key must not be.
        var report = new ExitReport();
        RegisterExitHook(report, results, gate);

        Directory.SetCurrentDirectory(a.WorkingDirectory);
        var clock = Stopwatch.StartNew();
        using var host = new KernelHost();
        await host.RunAsync("System.Environment.SetEnvironmentVariable(\"SSLCOURSE_HEADLESS\", \"1\");", new CellOutputRecorder(0, 0), TimeSpan.FromMinutes(2));
        Send(new JsonObject { ["k"] = ChannelKind.Started, ["kernel"] = clock.Elapsed.TotalSeconds });

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
            Send(new JsonObject { ["k"] = ChannelKind.Begin, ["i"] = i, ["n"] = count });
            report.Running = recorder;
            report.Current = i;
            var sw = Stopwatch.StartNew();
            var ok = await host.RunAsync(cell.Source, recorder, a.CellTimeout);
            var seconds = sw.Elapsed.TotalSeconds;
            var status = ok switch { true => CellStatus.Ok, false => CellStatus.Failed, null => CellStatus.Timeout };
            if (status == CellStatus.Timeout)
            {
                recorder.Fail(ErrorNames.CellTimeout, $"cell exceeded the cell timeout of {a.CellTimeout.TotalSeconds:0.#} s");
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
            report.Running = null;
            report.Current = null;
            Send(new JsonObject
            {
                ["k"] = ChannelKind.Cell,
                ["i"] = i,
                ["n"] = count,
                ["status"] = status.ToString(),
                ["seconds"] = seconds,
                ["error"] = result.Error,
                ["truncated"] = result.OutputTruncated,
                ["outputs"] = recorder.Snapshot(),
            });
            progress.WriteLine(ProgressLine.Format(a.Name, result, total));
            anyFailed |= status != CellStatus.Ok;
            if (status == CellStatus.Timeout)
            {
                // The runaway submission may never return, so leave without waiting for it.
                report.Finished = true;
                Send(new JsonObject { ["k"] = ChannelKind.Done });
                Environment.Exit(ExitCellTimeout);
            }
            if (status == CellStatus.Failed && a.StopOnError)
            {
                break;
            }
        }
        report.Finished = true;
        Send(new JsonObject { ["k"] = ChannelKind.Done });
        return anyFailed ? 1 : 0;
    }

    /// <summary>One line read byte by byte, so nothing after it is consumed.</summary>
    private static string ReadLine(Stream input)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = input.ReadByte()) >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>What the exit hook needs to know about the cell that is running.</summary>
    private sealed class ExitReport
    {
        public volatile CellOutputRecorder? Running;
        public volatile bool Finished;
        public int? Current;
    }

    /// <summary>
    /// Environment.Exit inside a cell: report, unsigned, what that cell printed before it ended the process. The parent
    /// uses it only as the outputs of the cell it already knows is running, which it marks crashed whatever it says.
    /// </summary>
    private static void RegisterExitHook(ExitReport report, Stream results, Lock gate)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!report.Finished && report.Running is { } r && report.Current is { } i)
            {
                var message = new JsonObject { ["k"] = ChannelKind.Exited, ["i"] = i, ["outputs"] = r.Snapshot() };
                var bytes = Encoding.UTF8.GetBytes("\n" + ResultChannel.ExitPrefix + message.ToJsonString() + "\n");
                lock (gate)
                {
                    results.Write(bytes);
                    results.Flush();
                }
            }
        };
    }

    /// <summary>Per-cell metadata the runner adds (papermill keeps the same facts under <c>papermill</c>).</summary>
    public static JsonObject CellMetadata(CellResult r)
    {
        return CellRunMetadata.Create(r.Status, r.Seconds, r.OutputTruncated, r.Stop);
    }
}
