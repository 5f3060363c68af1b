using System.Diagnostics;
using System.Text.Json.Nodes;
using SslCourse.Notebooks.Tests.Kernel;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// Every course notebook runs with the CI profile in both hosts: the course's runner (what graders use) and the
/// real .NET Interactive kernel over stdio (what VS Code and Jupyter use). Both must pass, show every chart, and
/// print the same PASS lines.
/// </summary>
[TestCaseOrderer(NameOrderer.TypeName, NameOrderer.AssemblyName)]
public sealed class CourseNotebookTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(900);

    /// <summary>One case per notebooks/*.ipynb, by file name.</summary>
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        var names = Directory.Exists(RepositoryPaths.Notebooks)
            ? Directory.GetFiles(RepositoryPaths.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var name in names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_in_the_runner_and_in_the_real_kernel(string notebook)
    {
        var runner = await RunInRunner(notebook, RepositoryPaths.Output);
        var kernel = await RealKernelRun.RunAsync(Path.Combine(RepositoryPaths.Notebooks, notebook), [new("Profile", "ci")], CellTimeout);
        output.WriteLine($"real kernel: {kernel.Seconds:F1} s, peak {kernel.PeakMemoryMb:F0} MB, {kernel.ChartCells} chart cells, {kernel.Progress.Displays} progress displays with {kernel.Progress.Updates} updates");
        HostTimes.Record(notebook, runner.Seconds, runner.PeakMb, kernel.Seconds, kernel.PeakMemoryMb);
        Assert.True(kernel.Problems.Count == 0, $"{notebook} in the real .NET Interactive kernel:\n{string.Join('\n', kernel.Problems)}");

        var inRunner = RealKernelRun.Verdicts(runner.Stdout);
        var inKernel = RealKernelRun.Verdicts(kernel.Stdout);
        Assert.True(inRunner.SequenceEqual(inKernel),
            $"{notebook}: the hosts disagree on PASS lines (numbers masked)\nrunner:\n  {string.Join("\n  ", inRunner)}\nreal kernel:\n  {string.Join("\n  ", inKernel)}");
    }

    /// <summary>Chapter 01's colour path (3-channel encoder, colour augmentation, CIFAR-10 loader) on a CIFAR-format copy of Fashion-MNIST.</summary>
    [Theory]
    [InlineData("01_2_contrastive_learning.ipynb")]
    [InlineData("01_4_masked_prediction.ipynb")]
    public async Task Chapter_01_runs_on_colour_cifar_format_data(string notebook)
    {
        var data = Path.Combine(RepositoryPaths.Root, "out", "colour-data");
        lock (ColourLock)
            if (!File.Exists(Path.Combine(data, "cifar-10", "test_batch.bin"))) ColourFashionMnist.Write(data);
        await RunInRunner(notebook, Path.Combine(RepositoryPaths.Root, "out", "notebooks-test-colour"), ("Dataset", "cifar-10"), data);
    }

    private static readonly object ColourLock = new();

    private sealed record RunnerResult(double Seconds, double PeakMb, string Stdout);

    private async Task<RunnerResult> RunInRunner(string notebook, string outDir, (string Name, string Value)? param = null, string? dataDir = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (dataDir is not null) psi.Environment["SSLCOURSE_DATA"] = dataDir;
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "SslCourse.Runner.dll"), "run", Path.Combine(RepositoryPaths.Notebooks, notebook),
            "--out", outDir, "--param", "Profile=ci", "--timeout", "1200", "--cell-timeout", $"{CellTimeout.TotalSeconds:F0}",
            "--junit", Path.Combine(outDir, Path.GetFileNameWithoutExtension(notebook) + ".junit.xml"),
            .. param is { } p ? new[] { "--param", $"{p.Name}={p.Value}" } : [],
        ];
        foreach (var a in args) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        using var memory = new MemorySampler(process.Id);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (outText, errText) = (await stdout, await stderr);
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"runner: {seconds:F1} s, peak {memory.PeakMb:F0} MB");
        output.WriteLine(errText);
        var summary = outText.Split('\n').FirstOrDefault(l => l.StartsWith("FAIL ", StringComparison.Ordinal));
        Assert.True(process.ExitCode == 0, $"{notebook}: exit code {process.ExitCode}\n{summary ?? outText}\n{Tail(errText)}");
        return new RunnerResult(seconds, memory.PeakMb, CheckExecuted(notebook, Path.Combine(outDir, notebook)));
    }

    /// <summary>Checks the runner's executed notebook: every chart cell holds a text/html chart. Returns its standard output.</summary>
    private static string CheckExecuted(string notebook, string executed)
    {
        var doc = NotebookDocument.Load(executed);
        var stdout = new System.Text.StringBuilder();
        var number = 0;
        foreach (var cell in doc.Cells.Where(c => c.IsCode))
        {
            number++;
            foreach (var o in cell.Outputs.OfType<JsonObject>())
                if ((string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout") stdout.Append(NotebookDocument.JoinText(o["text"]));
            var hasChart = cell.Outputs.OfType<JsonObject>().Any(o =>
                NotebookDocument.JoinText(o["data"]?["text/html"]).Contains("class=\"sslcourse-chart\"", StringComparison.Ordinal));
            Assert.True(!RealKernelRun.IsChartCell(cell) || hasChart, $"{notebook}: code cell {number} ({cell.FirstLine}) draws a chart but the runner's output has no text/html chart");
        }
        return stdout.ToString();
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));
}
