using System.Diagnostics;
using System.Text;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// Starts the <c>exec-one</c> child (under bubblewrap when sandboxed, in a memory cgroup where the host allows one),
/// reads its results channel live, relays its stderr, and enforces the notebook timeout and the memory limit over the
/// child's whole process tree. When the child ends, for whatever reason, everything it started is killed, and the
/// wait for its output pipes is bounded, so a leftover process can neither outlive the notebook nor hold up the run.
/// </summary>
internal static class ChildProcess
{
    private const int MaxRelayedLines = 200;

    /// <summary>How long to wait for the output pipes after the tree is dead (a stray holder is then ignored).</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    /// <summary>How the child ended.</summary>
    public sealed record Outcome(int? ExitCode, string? KilledBecause, StopReason? Stop, IReadOnlyList<string> StderrLines, TextWriter? Progress, LiveResults Live)
    {
        /// <summary>The notebook timeout ended it.</summary>
        public bool TimedOut => Stop == StopReason.Timeout;
    }

    public static async Task<Outcome> RunAsync(ChildArguments child, NotebookDocument doc, ExecutionOptions options, JudgeSession? judge, CancellationToken cancellationToken)
    {
        var environment = ChildEnvironment(options);
        var command = new List<string> { DotnetHost(), typeof(ChildProcess).Assembly.Location };
        command.AddRange(child.ToArgs());
        if (options.Sandbox is { } spec)
        {
            command = Sandbox.Wrap(command, spec, child.WorkingDirectory, environment);
        }
        using var cgroup = options.MemoryLimitMb is { } cap ? MemoryCgroup.TryCreate(cap, options.Sandbox?.MaxProcesses) : null;
        if (cgroup is not null)
        {
            // The shell joins the cgroups before it execs the child, so every later descendant is counted too.
            command = ["/bin/sh", "-c", "for f in $0; do echo $$ > \"$f\" || exit 1; done && exec \"$@\"", string.Join(' ', cgroup.ProcsFiles), .. command];
        }
        var psi = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = child.WorkingDirectory,
        };
        foreach (var arg in command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }
        if (options.Sandbox is not null)
        {
            // bwrap sets the notebook's environment itself (--clearenv, --setenv).
            psi.Environment.Clear();
            psi.Environment["PATH"] = "/usr/bin:/bin";
        }
        else
        {
            foreach (var (name, value) in environment)
            {
                psi.Environment[name] = value;
            }
        }

        var progress = options.Progress is null ? null : TextWriter.Synchronized(options.Progress);
        var tail = new Queue<string>();
        var head = new List<string>();
        var relayed = 0;
        void Relay(string line)
        {
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

        var key = ResultChannel.NewKey();
        var channel = new ResultChannel(key);
        var live = new LiveResults();
        string FirstLine(int i) => i >= 0 && i < doc.Cells.Count ? doc.Cells[i].FirstLine : "";

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the notebook process");
        var root = ProcessTree.IsSubreaper ? Environment.ProcessId : process.Id;
        var stdin = process.StandardInput;
        var stdinGate = new Lock();
        var feed = Task.Run(async () =>
        {
            try
            {
                // Key, then the notebook's length and bytes: stdin stays open after it when a judge will send calls.
                var notebook = Encoding.UTF8.GetBytes(doc.ToIpynbJson());
                await stdin.WriteLineAsync(Convert.ToHexString(key));
                await stdin.WriteLineAsync(notebook.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await stdin.FlushAsync();
                await stdin.BaseStream.WriteAsync(notebook);
                await stdin.BaseStream.FlushAsync();
                if (judge is null)
                {
                    stdin.Close();
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The child died before reading its input; its exit code tells why.
            }
        }, CancellationToken.None);
        judge?.Attach(line =>
        {
            lock (stdinGate)
            {
                try
                {
                    feed.Wait();
                    stdin.WriteLine(line);
                    stdin.Flush();
                    return true;
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or AggregateException)
                {
                    return false;
                }
            }
        });
        // Lines are bounded: notebook code may write gigabytes without a newline to its raw stdout or stderr, and this
        // process, outside the notebook's memory limit, must not hold them. A channel line is at most a cell's capped
        // outputs, JSON-escaped.
        // A judge's reply may carry tensors (JudgeWire caps them at 32 MB, base64 makes that about 43 MB).
        var maxChannelLine = (int)Math.Min(int.MaxValue / 2, Math.Max(8 * options.MaxCellOutputBytes + (1 << 20), judge is null ? 0 : 48L << 20));
        string? CurrentCellId() => live.CurrentCell is { } c && c < doc.Cells.Count ? doc.Cells[c].Id : null;
        var readOut = BoundedLines.ReadAsync(process.StandardOutput, maxChannelLine, line =>
        {
            if (line.StartsWith(ResultChannel.Prefix, StringComparison.Ordinal))
            {
                live.Accept(channel.Verify(line), FirstLine);
            }
            else if (judge is not null && line.StartsWith(SslCourse.Grading.JudgeProtocol.ProbePrefix, StringComparison.Ordinal))
            {
                judge.OnLine(line[SslCourse.Grading.JudgeProtocol.ProbePrefix.Length..], CurrentCellId());
            }
            else if (line.StartsWith(ResultChannel.ExitPrefix, StringComparison.Ordinal))
            {
                live.AcceptExitReport(line[ResultChannel.ExitPrefix.Length..]);
            }
            else if (line.Length > 0)
            {
                Relay(line);
            }
        }, () =>
        {
            live.Accept(null, FirstLine);
            judge?.OnOverlongLine();
        });
        var readErr = BoundedLines.ReadAsync(process.StandardError, 16 * 1024, Relay, () => Relay("(an over-long line of output was dropped)"));

        var deadline = Stopwatch.StartNew();
        string? killed = null;
        StopReason? stop = null;
        while (!process.HasExited)
        {
            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMilliseconds(250), CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Poll tick: check limits below.
            }
            if (process.HasExited)
            {
                break;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                (killed, stop) = ("run was cancelled", StopReason.Cancelled);
            }
            else if (deadline.Elapsed > options.NotebookTimeout)
            {
                (killed, stop) = ($"notebook exceeded the timeout of {options.NotebookTimeout.TotalSeconds:0.#} s", StopReason.Timeout);
            }
            else if (options.MemoryLimitMb is { } limit && cgroup?.OomKills() > 0)
            {
                (killed, stop) = ($"notebook exceeded the memory limit ({limit} MB for all its processes; the kernel's OOM killer ended one)", StopReason.MemoryLimit);
            }
            else if (options.MemoryLimitMb is { } limit2 && TreeMb(root, process) + SandboxTmpfs.UsedMb(root, options.Sandbox is not null, child.WorkingDirectory) is var mb && mb > limit2)
            {
                (killed, stop) = ($"notebook exceeded the memory limit ({mb} MB > {limit2} MB, all its processes together)", StopReason.MemoryLimit);
            }
            if (killed is not null)
            {
                break;
            }
        }
        if (killed is null && cgroup?.OomKills() > 0 && options.MemoryLimitMb is { } last)
        {
            (killed, stop) = ($"notebook exceeded the memory limit ({last} MB for all its processes; the kernel's OOM killer ended one)", StopReason.MemoryLimit);
        }
        // Whatever the reason the child ended, nothing it started may outlive it: leftover processes hold its pipes
        // (and would otherwise keep running, with the grader's rights, after the grade is written).
        KillTree(process, root);
        cgroup?.Dispose();
        if (judge is not null)
        {
            await judge.ChildEndedAsync(DrainLimit);
            lock (stdinGate)
            {
                try
                {
                    stdin.Close();
                }
                catch (IOException)
                {
                    // Already broken: the child is gone.
                }
            }
        }
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(DrainLimit, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        var drained = await Task.WhenAll(readOut, readErr, feed).WaitAsync(DrainLimit, CancellationToken.None).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        if (!drained)
        {
            progress?.WriteLine($"[{child.Name}] a leftover process kept the notebook's output open; stopped waiting after {DrainLimit.TotalSeconds:0} s");
        }
        if (live.Rejected > 0)
        {
            progress?.WriteLine($"[{child.Name}] {live.Rejected} forged or corrupted line(s) on the results channel were ignored");
        }
        lock (tail)
        {
            if (relayed > MaxRelayedLines)
            {
                progress?.WriteLine($"[{child.Name}] ({relayed - MaxRelayedLines} more lines of child output not shown)");
            }
            // The first lines name the cause ("Stack overflow.", "Out of memory."); the last ones show where it ended.
            int? exit = killed is null && process.HasExited ? process.ExitCode : null;
            return new Outcome(exit, killed, stop, [.. head, .. tail], progress, live);
        }
    }

    private static void KillTree(Process process, int root)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        ProcessTree.KillDescendants(root);
    }

    private static long TreeMb(int root, Process process)
    {
        if (OperatingSystem.IsLinux())
        {
            var pids = ProcessTree.Descendants(root);
            if (root == process.Id)
            {
                pids.Add(root);
            }
            return ProcessTree.ResidentMb(pids);
        }
        process.Refresh();
        return process.WorkingSet64 / (1024 * 1024);
    }

    /// <summary>
    /// The child's environment. Sandboxed: only the allow-listed names (exact), plus the runner's own settings.
    /// Otherwise the runner's environment as it is, plus the same settings.
    /// </summary>
    private static Dictionary<string, string> ChildEnvironment(ExecutionOptions options)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.Sandbox is { } spec)
        {
            foreach (var name in spec.AllowedEnvironment)
            {
                if (Environment.GetEnvironmentVariable(name) is { } value)
                {
                    env[name] = value;
                }
            }
            env["HOME"] = "/tmp";
            env["TMPDIR"] = "/tmp";
        }
        else if (options.TempDirectory is not null)
        {
            env["TMPDIR"] = options.TempDirectory;
        }
        if (options.MemoryLimitMb is { } heap)
        {
            // The managed heap fails in its cell (OutOfMemoryException) before the tree-wide limit kills the process.
            env["DOTNET_GCHeapHardLimit"] = "0x" + (heap * 1024 * 1024).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (options.Sandbox is not null)
        {
            // HOME moved, so name the (read-only) package folder the library looks for TorchSharp's natives in.
            var packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            if (!env.ContainsKey("NUGET_PACKAGES") && Directory.Exists(packages))
            {
                env["NUGET_PACKAGES"] = packages;
            }
        }
        // Library code may check SSLCOURSE_HEADLESS to skip interactive-only behaviour.
        env["SSLCOURSE_HEADLESS"] = "1";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return env;
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
