using static SslCourse.Runner.Tests.NotebookFiles;

namespace SslCourse.Runner.Tests;

/// <summary>A course chart shown as a cell's last expression reaches the executed notebook as text/html.</summary>
public sealed class PlotlyChartTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string LibraryDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SslCourse.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "lib", "SslCourse", "bin", "course", "SslCourse.dll");
    }

    [Fact]
    public void Chart_from_the_library_is_rendered_as_html()
    {
        var path = Write(_folder.Path, "chart.ipynb",
            Code($"#r \"{LibraryDll()}\""),
            Code("SslCourse.Runtime.Course.Init(\"ci\");"),
            Code("SslCourse.Viz.Charts.Bars(\"two bars\", new[] { \"a\", \"b\" }, new[] { 1.0, 2.0 })"));
        var outDir = Path.Combine(_folder.Path, "out");
        var result = RunnerProcess.Run("run", path, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var cells = Read(Path.Combine(outDir, "chart.ipynb"))["cells"]!.AsArray();
        var output = Assert.Single(cells[2]!["outputs"]!.AsArray(), o => (string?)o!["output_type"] == "execute_result")!;
        var html = Text(output["data"]!["text/html"]);
        Assert.Contains("class=\"sslcourse-chart\"", html);
        Assert.Contains("\"two bars\"", html);
        Assert.Contains("Plotly.newPlot", html);
    }

    public void Dispose() => _folder.Dispose();
}
