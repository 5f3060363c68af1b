using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks.Tests.Kernel;

/// <summary>
/// The real .NET Interactive kernel (the <c>Microsoft.dotnet-interactive</c> tool from the repository's tool
/// manifest), driven the way VS Code drives it: <c>dotnet interactive stdio</c>, one JSON <c>SubmitCode</c>
/// command per line on stdin, a stream of JSON events on stdout.
/// </summary>
public sealed class StdioKernel : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, CellEvents> _pending = new();
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MemorySampler _memory;
    private int _next;

    /// <summary>Starts the kernel with <paramref name="workingDirectory"/> as its current folder, as VS Code and Jupyter do.</summary>
    public StdioKernel(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--default-kernel", "csharp" }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // What a learner's kernel sees: the runner's headless switch must not leak in from the test host.
        psi.Environment.Remove("SSLCOURSE_HEADLESS");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start `dotnet tool run dotnet-interactive`");
        _memory = new MemorySampler(_process.Id);
        _ = Task.Run(ReadEvents);
        _ = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
                lock (_stderr) _stderr.AppendLine(line);
        });
    }

    /// <summary>The kernel's own standard error so far (start-up failures show here).</summary>
    public string KernelStderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Peak resident memory of the kernel's process tree so far, in MB.</summary>
    public double PeakMemoryMb => _memory.PeakMb;

    /// <summary>Submits <paramref name="code"/> to the C# kernel and waits for its CommandSucceeded or CommandFailed.</summary>
    /// <exception cref="TimeoutException">The cell did not complete in <paramref name="timeout"/>.</exception>
    public async Task<CellEvents> SubmitAsync(string code, TimeSpan timeout)
    {
        var token = $"sslcourse-{Interlocked.Increment(ref _next)}";
        var events = new CellEvents();
        _pending[token] = events;
        var command = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        };
        var clock = Stopwatch.StartNew();
        await _process.StandardInput.WriteLineAsync(command.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var deadline = DateTime.UtcNow + timeout;
        while (!events.Completed)
        {
            if (_exited.Task.IsCompleted)
                throw new InvalidOperationException($"the kernel exited (code {_process.ExitCode}) during the cell\n{Tail(KernelStderr)}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the cell did not finish within {timeout.TotalSeconds:F0} s");
            await Task.WhenAny(_exited.Task, Task.Delay(50));
        }
        _pending.TryRemove(token, out _);
        events.Seconds = clock.Elapsed.TotalSeconds;
        return events;
    }

    /// <summary>Sends the kernel's Cancel command, as VS Code's and Jupyter's Stop button do.</summary>
    public async Task CancelAsync()
    {
        var command = new JsonObject
        {
            ["token"] = $"sslcourse-cancel-{Interlocked.Increment(ref _next)}",
            ["commandType"] = "Cancel",
            ["command"] = new JsonObject { ["targetKernelName"] = "csharp" },
        };
        await _process.StandardInput.WriteLineAsync(command.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    private async Task ReadEvents()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            // The tool prints a welcome banner before its JSON; only JSON lines are events.
            if (!line.StartsWith('{')) continue;
            JsonObject? envelope;
            try { envelope = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; }
            var type = (string?)envelope?["eventType"];
            var token = (string?)envelope?["command"]?["token"];
            if (type is null || token is null || envelope!["event"] is not JsonObject body) continue;
            // Commands the kernel splits off (e.g. "#r" handling) carry "<token>.<n>" and belong to the cell.
            var root = token.Split('.')[0];
            if (!_pending.TryGetValue(root, out var events)) continue;
            if (token != root && type is "CommandSucceeded" or "CommandFailed")
            {
                if (type == "CommandFailed") events.Add("StandardErrorValueProduced", new JsonObject { ["formattedValues"] = new JsonArray(new JsonObject { ["mimeType"] = "text/plain", ["value"] = (string?)body["message"] }) });
                continue;
            }
            events.Add(type, body);
        }
        await _process.WaitForExitAsync();
        _exited.TrySetResult();
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(20));

    /// <summary>Ends the kernel and every process it started.</summary>
    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        if (!_process.WaitForExit(5000))
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _memory.Dispose();
        _process.Dispose();
    }
}
