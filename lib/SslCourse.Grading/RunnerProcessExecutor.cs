using System.Collections;
using System.Diagnostics;
using System.Text;

namespace SslCourse.Grading;

/// <summary>
/// Runs notebooks through one long-lived <c>dotnet SslCourse.Runner.dll serve</c> process (see <see cref="ServeProtocol"/>)
/// whose environment holds only the allow-listed variables; it runs each notebook's kernel in a child process of its
/// own with the limits (and the sandbox), and judges check cells in itself when the request carries a judge. The
/// server is started on first use, restarted after a failure or every <see cref="RequestsPerServer"/> requests, and
/// ends when this object is disposed or this process exits (its stdin closes).
/// </summary>
/// <param name="runnerAssembly">Path of the runner's <c>SslCourse.Runner.dll</c>.</param>
public sealed class RunnerProcessExecutor(string runnerAssembly) : INotebookExecutor, IDisposable
{
    /// <summary>Requests one server handles before a fresh one starts (each judge leaves compiled code behind).</summary>
    public const int RequestsPerServer = 50;

    /// <summary>Grace beyond the notebook timeout before this side kills the server (the judge's first start included).</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Queue<string> _lastLines = new();
    private Process? _server;
    private string? _environmentKey;
    private int _served;
    private TextWriter? _progress;

    /// <inheritdoc />
    public async Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        await _one.WaitAsync(cancellationToken);
        try
        {
            var server = Server(request.Limits);
            lock (_lastLines)
            {
                _progress = request.Progress;
                _lastLines.Clear();
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!);
            File.Delete(request.OutputPath);
            await server.StandardInput.WriteLineAsync(ServeProtocol.Request(request).AsMemory(), cancellationToken);
            await server.StandardInput.FlushAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(request.Limits.NotebookTimeout + Grace);
            string? reply;
            try
            {
                // Anything else a library in the server printed on its stdout is skipped.
                do
                {
                    reply = await server.StandardOutput.ReadLineAsync(deadline.Token);
                }
                while (reply is not null && !reply.StartsWith(ServeProtocol.ReplyPrefix, StringComparison.Ordinal));
            }
            catch (OperationCanceledException)
            {
                Stop();
                return new ExecutionOutcome(null, cancellationToken.IsCancellationRequested ? "cancelled" : "the runner did not finish in time", clock.Elapsed.TotalSeconds);
            }
            if (reply is null)
            {
                Stop();
                return new ExecutionOutcome(null, $"the runner ended unexpectedly: {LastLine()}", clock.Elapsed.TotalSeconds);
            }
            var outcome = ServeProtocol.ParseReply(reply[ServeProtocol.ReplyPrefix.Length..]);
            if (++_served >= RequestsPerServer)
            {
                Stop();
            }
            if (!File.Exists(request.OutputPath))
            {
                return outcome with { Error = $"the runner wrote no executed notebook (exit code {outcome.ExitCode}): {outcome.Error ?? LastLine()}" };
            }
            return outcome;
        }
        finally
        {
            lock (_lastLines)
            {
                _progress = null;
            }
            _one.Release();
        }
    }

    private Process Server(SandboxLimits limits)
    {
        var key = string.Join('\n', limits.EnvironmentNames);
        if (_server is { HasExited: false } running && key == _environmentKey)
        {
            return running;
        }
        Stop();
        var psi = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(runnerAssembly);
        psi.ArgumentList.Add("serve");
        SetEnvironment(psi, limits, tempDirectory: null);
        var server = Process.Start(psi) ?? throw new InvalidOperationException("could not start the runner");
        server.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > 20)
                {
                    _lastLines.Dequeue();
                }
                _progress?.WriteLine(line);
            }
        };
        server.BeginErrorReadLine();
        (_server, _environmentKey, _served) = (server, key, 0);
        return server;
    }

    private string LastLine()
    {
        lock (_lastLines)
        {
            return (_lastLines.LastOrDefault(l => l.StartsWith("sslcourse:", StringComparison.Ordinal)) ?? _lastLines.LastOrDefault() ?? "").Trim();
        }
    }

    private void Stop()
    {
        if (_server is not { } server)
        {
            return;
        }
        _server = null;
        try
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Already gone.
        }
        server.Dispose();
    }

    /// <summary>Ends the server.</summary>
    public void Dispose()
    {
        Stop();
        _one.Dispose();
    }

    /// <summary>Only allow-listed variables reach the runner (and through it the notebook).</summary>
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
        // The runner itself is not limited; each notebook's child gets the limit (DOTNET_GCHeapHardLimit) from it.
        psi.Environment.Remove("DOTNET_GCHeapHardLimit");
        psi.Environment["SSLCOURSE_HEADLESS"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (tempDirectory is not null)
        {
            psi.Environment["TMPDIR"] = tempDirectory;
        }
    }

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
