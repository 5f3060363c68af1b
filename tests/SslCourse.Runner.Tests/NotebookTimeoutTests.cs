using static SslCourse.Runner.Tests.NotebookFiles;

namespace SslCourse.Runner.Tests;

/// <summary>The parent kills a notebook that exceeds the whole-notebook timeout and still reports it.</summary>
/// <remarks>The limit leaves room for a slow kernel start while other tests load both cores.</remarks>
[Collection("timed runs")]
public sealed class NotebookTimeoutTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Notebook_over_its_timeout_is_killed_and_reported()
    {
        var path = Write(_temp.Path, "slow.ipynb",
            Code("Console.WriteLine(\"started\");"),
            Code("System.Threading.Thread.Sleep(60_000);"));
        var result = RunnerProcess.Run("run", path, "--out", _temp.File("out"), "--timeout", "15");
        Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr);
        Assert.Contains("FAIL slow.ipynb cell 2 \"System.Threading.Thread.Sleep(60_000);\" : notebook exceeded the timeout of 15 s", result.Stdout);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(45), $"took {result.Elapsed}");
        var cells = Read(_temp.File("out/slow.ipynb"))["cells"]!.AsArray();
        Assert.Equal("started\n", Text(cells[0]!["outputs"]![0]!["text"]));
        Assert.Equal("NotebookTimeout", (string?)cells[1]!["outputs"]![0]!["ename"]);
    }

    public void Dispose() => _temp.Dispose();
}
