using System.Collections;
using System.Diagnostics;
using System.Globalization;

namespace SslCourse.Grading;

/// <summary>
/// Runs a notebook with <c>dotnet SslCourse.Runner.dll run</c> in a fresh process whose environment holds only the
/// allow-listed variables; the runner in turn runs the kernel in its own child process with the limits.
/// </summary>
/// <param name="runnerAssembly">Path of the runner's <c>SslCourse.Runner.dll</c>.</param>
public sealed class RunnerProcessExecutor(string runnerAssembly) : INotebookExecutor
{
    /// <summary>Grace beyond the notebook timeout before this side kills the runner itself.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public async Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var limits = request.Limits;
        var outDir = Directory.CreateTempSubdirectory("sslcourse-exec-").FullName;
        try
        {
            var psi = new ProcessStartInfo(DotnetHost())
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(request.NotebookPath))!,
            };
            string[] args =
            [
                runnerAssembly, "run", request.NotebookPath, "--out", outDir,
                "--cell-timeout", Seconds(limits.CellTimeout), "--timeout", Seconds(limits.NotebookTimeout),
                "--max-cell-output", limits.MaxCellOutputBytes.ToString(CultureInfo.InvariantCulture),
                "--memory-limit", limits.MemoryLimitMb.ToString(CultureInfo.InvariantCulture),
            ];
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            if (request.WorkingDirectory is not null)
            {
                psi.ArgumentList.Add("--workdir");
                psi.ArgumentList.Add(request.WorkingDirectory);
            }
            if (request.Sandbox)
            {
                psi.ArgumentList.Add("--sandbox");
                foreach (var dir in request.ReadOnlyPaths)
                {
                    psi.ArgumentList.Add("--sandbox-ro");
                    psi.ArgumentList.Add(dir);
                }
                foreach (var name in limits.EnvironmentNames.Except(SandboxLimits.DefaultEnvironmentNames, StringComparer.Ordinal))
                {
                    psi.ArgumentList.Add("--allow-env");
                    psi.ArgumentList.Add(name);
                }
            }
            foreach (var (name, value) in request.Parameters)
            {
                psi.ArgumentList.Add("--param");
                psi.ArgumentList.Add($"{name}={value}");
            }
            SetEnvironment(psi, limits, request.TempDirectory);

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the runner");
            process.StandardInput.Close();
            var lines = new List<string>();
            void Relay(string? line)
            {
                if (line is null)
                {
                    return;
                }
                lock (lines)
                {
                    if (lines.Count < 400)
                    {
                        lines.Add(line);
                        request.Progress?.WriteLine(line);
                    }
                }
            }
            process.OutputDataReceived += (_, e) => Relay(e.Data);
            process.ErrorDataReceived += (_, e) => Relay(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limits.NotebookTimeout + Grace);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await Bounded(process.WaitForExitAsync(CancellationToken.None));
                return new ExecutionOutcome(null, cancellationToken.IsCancellationRequested ? "cancelled" : "the runner did not finish in time", clock.Elapsed.TotalSeconds);
            }
            // The runner kills everything its notebook started; if something still holds the pipes, stop waiting.
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
            }
            var executed = Path.Combine(outDir, Path.GetFileNameWithoutExtension(request.NotebookPath) + ".ipynb");
            if (!File.Exists(executed))
            {
                string last;
                lock (lines)
                {
                    last = lines.LastOrDefault(l => l.StartsWith("sslcourse:", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "";
                }
                return new ExecutionOutcome(process.ExitCode, $"the runner wrote no executed notebook (exit code {process.ExitCode}): {last.Trim()}", clock.Elapsed.TotalSeconds);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!);
            File.Move(executed, request.OutputPath, overwrite: true);
            return new ExecutionOutcome(process.ExitCode, null, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            TryDelete(outDir);
        }
    }

    private static async Task Bounded(Task task)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A process that will not die is the OS's problem now; the grade does not wait for it.
        }
    }

    /// <summary>Only allow-listed variables reach the notebook; the managed heap gets the memory limit.</summary>
    internal static void SetEnvironment(ProcessStartInfo psi, SandboxLimits limits, string? tempDirectory)
    {
        var current = Environment.GetEnvironmentVariables();
        psi.Environment.Clear();
        foreach (DictionaryEntry e in current)
        {
            if (e.Key is string name && limits.Allows(name) && e.Value is string value)
            {
                psi.Environment[name] = value;
            }
        }
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + (limits.MemoryLimitMb * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        psi.Environment["SSLCOURSE_HEADLESS"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (tempDirectory is not null)
        {
            psi.Environment["TMPDIR"] = tempDirectory;
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ → .../dotnet/dotnet
        var root = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent?.Parent?.FullName;
        var guess = root is null ? null : Path.Combine(root, "dotnet");
        return guess is not null && File.Exists(guess) ? guess : "dotnet";
    }

    internal static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // A killed process may still hold a file; a leftover temp folder is not worth failing a grade over.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: a submission may have made its files read-only.
        }
    }
}
