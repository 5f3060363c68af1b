using SslCourse.Notebooks.Tests.Kernel;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// The real-kernel host itself: it must fail on a broken chart with a message naming the cell, its source line and
/// the kernel's error; see progress displays update in place; and survive re-running cells and whole notebooks.
/// </summary>
public sealed class RealKernelHostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(300);
    private static string Fixture(string name) => Path.Combine(RepositoryPaths.Root, "tests", "SslCourse.Notebooks.Tests", "Fixtures", name);

    [Fact]
    public async Task A_chart_cell_that_shows_nothing_fails_with_the_cell_named()
    {
        var run = await RealKernelRun.RunAsync(Fixture("chart_not_shown.ipynb"), [], CellTimeout);
        var problem = Assert.Single(run.Problems);
        output.WriteLine(problem);
        Assert.Contains("code cell 3 (var chart = SslCourse.Viz.Charts.Bars(", problem);
        Assert.Contains("showed no text/html chart", problem);
    }

    [Fact]
    public async Task A_chart_cell_that_throws_fails_with_its_source_line_and_the_kernel_error()
    {
        var run = await RealKernelRun.RunAsync(Fixture("chart_throws.ipynb"), [], CellTimeout);
        var problem = Assert.Single(run.Problems);
        output.WriteLine(problem);
        Assert.Contains("code cell 3 (SslCourse.Viz.Charts.Heatmap(\"ragged\",) failed", problem);
        Assert.Contains("heatmap rows differ in length", problem);
    }

    [Fact]
    public async Task Progress_is_one_display_updated_in_place_at_a_bounded_rate()
    {
        var run = await RealKernelRun.RunAsync(Fixture("progress.ipynb"), [], CellTimeout);
        Assert.True(run.Problems.Count == 0, string.Join('\n', run.Problems));
        output.WriteLine($"{run.Progress.Displays} display(s), {run.Progress.Updates} updates");
        // One display per loop: the second and third loops run, from two cells, on the flush-to-zero thread
        // (Denormals.Run), and each cell's display context travels with its call.
        Assert.Equal(3, run.Progress.Displays);
        // Each 2 s loop at about two updates a second, plus the first and the last line.
        Assert.InRange(run.Progress.Updates, 6, 24);
        Assert.Equal(1, run.ChartCells);
    }

    [Fact]
    public async Task Rerunning_a_whole_notebook_and_its_first_cells_in_one_kernel_session_works()
    {
        var setup = Path.Combine(RepositoryPaths.Notebooks, "00_setup.ipynb");
        using var kernel = new StdioKernel(RepositoryPaths.Notebooks);
        var first = await RealKernelRun.RunAsync(setup, [new("Profile", "ci")], CellTimeout, kernel);
        Assert.True(first.Problems.Count == 0, "first run:\n" + string.Join('\n', first.Problems));
        var second = await RealKernelRun.RunAsync(setup, [new("Profile", "ci")], CellTimeout, kernel);
        Assert.True(second.Problems.Count == 0, "second run in the same session:\n" + string.Join('\n', second.Problems));
        Assert.Equal(RealKernelRun.Verdicts(first.Stdout), RealKernelRun.Verdicts(second.Stdout));
        Assert.True(second.ChartCells > 0 && second.ChartCells == first.ChartCells, $"charts: {first.ChartCells} then {second.ChartCells}");
        Assert.True(second.Progress.Displays > 0, "the re-run showed no progress display");

        foreach (var code in new[] { "#r \"../lib/SslCourse/bin/course/SslCourse.dll\"", "SslCourse.Runtime.Course.Init(\"ci\", 1);",
                     "SslCourse.Viz.Charts.Bars(\"after re-init\", new[] { \"a\" }, new[] { 1.0 })" })
        {
            var events = await kernel.SubmitAsync(code, CellTimeout);
            Assert.True(events.Failure is null, $"{code}: {events.Failure}");
        }
    }
}
