using System.Diagnostics;

namespace SslCourse.Runner;

/// <summary>Starts the <c>exec-one</c> child, relays its stderr, and enforces the notebook timeout and memory limit.</summary>
internal static class ChildProcess
{
    private const int MaxRelayedLines = 200;

    /// <summary>How the child ended.</summary>
    public sealed record Outcome(int? ExitCode, string? KilledBecause, bool TimedOut, IReadOnlyList<string> StderrLines, TextWriter? Progress);

    public static async Task<Outcome> RunAsync(ChildArguments child, ExecutionOptions options, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = child.WorkingDirectory,
        };
        psi.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var arg in child.ToArgs())
        {
            psi.ArgumentList.Add(arg);
        }
        // Library code may check SSLCOURSE_HEADLESS to skip interactive-only behaviour.
        psi.Environment["SSLCOURSE_HEADLESS"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var progress = options.Progress is null ? null : TextWriter.Synchronized(options.Progress);
        var tail = new Queue<string>();
        var head = new List<string>();
        var relayed = 0;
        void Relay(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (tail)
            {
                var isProgress = line.StartsWith($"[{child.Name}] cell ", StringComparison.Ordinal);
                if (!isProgress)
                {
                    if (head.Count < 3 && line.Trim().Length > 0)
                    {
                        head.Add(line);
                    }
                    tail.Enqueue(line);
                    if (tail.Count > 20)
                    {
                        tail.Dequeue();
                    }
                    // A stack overflow prints thousands of frames; relay the start only.
                    if (++relayed > MaxRelayedLines)
                    {
                        return;
                    }
                }
                progress?.WriteLine(line);
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the notebook process");
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) => Relay(e.Data);
        process.OutputDataReceived += (_, e) => Relay(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        string? killed = null;
        var timedOut = false;
        while (!process.HasExited)
        {
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            poll.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                await process.WaitForExitAsync(poll.Token);
            }
            catch (OperationCanceledException)
            {
                // Poll tick: check limits below.
            }
            if (process.HasExited)
            {
                break;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                killed = "run was cancelled";
            }
            else if (deadline.Elapsed > options.NotebookTimeout)
            {
                killed = $"notebook exceeded the timeout of {options.NotebookTimeout.TotalSeconds:0.#} s";
                timedOut = true;
            }
            else if (options.MemoryLimitMb is { } limit && ResidentMb(process) is var mb && mb > limit)
            {
                killed = $"notebook exceeded the memory limit ({mb} MB > {limit} MB)";
            }
            if (killed is not null)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                break;
            }
        }
        // Drain the relayed streams before reading the tail.
        process.WaitForExit();
        lock (tail)
        {
            if (relayed > MaxRelayedLines)
            {
                progress?.WriteLine($"[{child.Name}] ({relayed - MaxRelayedLines} more lines of child output not shown)");
            }
            // The first lines name the cause ("Stack overflow.", "Out of memory."); the last ones show where it ended.
            return new Outcome(killed is null ? process.ExitCode : null, killed, timedOut, [.. head, .. tail], progress);
        }
    }

    private static long ResidentMb(Process process)
    {
        process.Refresh();
        return process.WorkingSet64 / (1024 * 1024);
    }

    /// <summary>The dotnet host that runs this assembly (works under the apphost, <c>dotnet sslcourse.dll</c> and test hosts).</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Path.Combine(RuntimeRootFromRuntimeDir() ?? "", "dotnet") is var guess && File.Exists(guess) ? guess : "dotnet";
    }

    private static string? RuntimeRootFromRuntimeDir()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ → .../dotnet
        var dir = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        return dir.Parent?.Parent?.Parent?.FullName;
    }
}
