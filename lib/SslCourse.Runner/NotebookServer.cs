using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SslCourse.Grading;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// The hidden <c>serve</c> verb: the grader's long-lived runner. It reads one run request per line on stdin
/// (<see cref="ServeProtocol"/>), runs the notebook in a child process (sandboxed as asked) with the request's judge in
/// this process, writes the executed notebook, and answers one line on stdout. Kept warm between submissions, so the
/// judge's C# kernel costs milliseconds per submission after the first, not a process start.
/// </summary>
internal static class NotebookServer
{
    public const string Verb = "serve";

    public static async Task<int> RunAsync()
    {
        // Taken before any kernel redirects Console.
        var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        var output = Console.OpenStandardOutput();
        var progress = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        while (await input.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var reply = await HandleAsync(line, TextWriter.Synchronized(progress));
            var bytes = Encoding.UTF8.GetBytes("\n" + ServeProtocol.ReplyPrefix + reply.ToJsonString() + "\n");
            await output.WriteAsync(bytes);
            await output.FlushAsync();
        }
        return 0;
    }

    private static async Task<JsonObject> HandleAsync(string line, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var request = ServeProtocol.ParseRequest(line);
            var options = new ExecutionOptions
            {
                CellTimeout = request.Limits.CellTimeout,
                NotebookTimeout = request.Limits.NotebookTimeout,
                MaxCellOutputBytes = request.Limits.MaxCellOutputBytes,
                MemoryLimitMb = request.Limits.MemoryLimitMb,
                Parameters = request.Parameters,
                OutputPath = request.OutputPath,
                WorkingDirectory = request.WorkingDirectory,
                TempDirectory = request.TempDirectory,
                Progress = progress,
                Judge = request.Judge,
                Sandbox = request.Sandbox
                    ? new SandboxSpec(request.ReadOnlyPaths, request.Limits.EnvironmentNames)
                    {
                        Scratch = true,
                        ScratchMb = request.Limits.ScratchMb,
                        TmpMb = request.Limits.TmpMb,
                        MaxProcesses = request.Limits.MaxProcesses,
                    }
                    : null,
            };
            if (options.Sandbox is not null && Sandbox.Bwrap is null)
            {
                throw new NotebookFormatException("--sandbox", $"the sandbox is not usable on this host: {Bubblewrap.Problem}");
            }
            var result = await NotebookExecutor.ExecuteAsync(request.NotebookPath, options);
            return ServeProtocol.Reply(result.Passed ? 0 : 1, result.Error, clock.Elapsed.TotalSeconds);
        }
        catch (NotebookFormatException e)
        {
            return ServeProtocol.Reply(Program.ExitBadInput, $"sslcourse: {e.File}: {e.Message}", clock.Elapsed.TotalSeconds);
        }
    }
}
