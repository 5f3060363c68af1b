using SslCourse.Notebooks.Tests.Kernel;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// The real kernel (the pinned dotnet-interactive over stdio, as VS Code drives it) compiles cells after
/// Course.Init without the CS1701 reference-unification warning that Jupyter printed as red stderr, and still
/// reports a level-1 warning, so the fix is not "no warnings at all".
/// </summary>
public sealed class KernelCompilerWarningTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(300);

    // torch.tensor has System.Numerics.Complex overloads; TorchSharp references System.Runtime.Numerics 8.0.0.0. The
    // lambda is compiled (bound) but never called, so the cell also runs before Course.Init has loaded libtorch.
    private const string BindsToNumerics = "Func<object> make = () => TorchSharp.torch.tensor(new float[] { 1, 2, 3 });";

    [Fact]
    public async Task Course_Init_silences_CS1701_and_keeps_level_1_warnings()
    {
        using var kernel = new StdioKernel(RepositoryPaths.Notebooks);
        var reference = await Submit(kernel, "#r \"../lib/SslCourse/bin/course/SslCourse.dll\"");
        Assert.Empty(reference.Warnings);

        // Before Course.Init the cell shows the warning: the fixture does reproduce what learners saw.
        var before = await Submit(kernel, BindsToNumerics);
        output.WriteLine("before Course.Init: " + string.Join(" | ", before.Warnings));
        Assert.Contains(before.Warnings, w => w.Contains("CS1701", StringComparison.Ordinal));

        await Submit(kernel, "SslCourse.Runtime.Course.Init(\"ci\");");
        var after = await Submit(kernel, BindsToNumerics);
        output.WriteLine("after Course.Init: " + string.Join(" | ", after.Warnings));
        Assert.Empty(after.Warnings);
        Assert.Equal(0, after.Stderr.Length);

        // A nullable annotation outside #nullable (CS8632) is a level-1 warning and is still reported.
        var nullable = await Submit(kernel, "TorchSharp.torch.Tensor? maybe = null;");
        Assert.Contains(nullable.Warnings, w => w.Contains("CS8632", StringComparison.Ordinal));

        // Re-running Course.Init keeps the level (and does not fail).
        await Submit(kernel, "SslCourse.Runtime.Course.Init(\"ci\");");
        Assert.Empty((await Submit(kernel, BindsToNumerics)).Warnings);
    }

    [Fact]
    public async Task A_notebook_run_in_the_real_kernel_shows_no_warning_and_no_stderr()
    {
        // Every kind of chart, after a cell that binds to torch.tensor's System.Numerics overloads.
        var clean = await RealKernelRun.RunAsync(Fixture("charts_offline.ipynb"), [], CellTimeout);
        Assert.True(clean.Problems.Count == 0, string.Join('\n', clean.Problems));
        Assert.True(clean.Noise.Count == 0, string.Join('\n', clean.Noise));
        Assert.Equal(7, clean.ChartCells);

        // The check sees what a learner would see in red: a level-1 compiler warning and a line on stderr.
        var noisy = await RealKernelRun.RunAsync(Fixture("jupyter_problems.ipynb"), [], CellTimeout);
        output.WriteLine(string.Join('\n', noisy.Noise));
        Assert.Contains(noisy.Noise, n => n.StartsWith("code cell 3", StringComparison.Ordinal) && n.Contains("CS8632", StringComparison.Ordinal));
        Assert.Contains(noisy.Noise, n => n.StartsWith("code cell 4", StringComparison.Ordinal) && n.Contains("something on stderr", StringComparison.Ordinal));
    }

    private static string Fixture(string name) => Path.Combine(RepositoryPaths.Root, "tests", "SslCourse.Notebooks.Tests", "Fixtures", name);

    private static async Task<CellEvents> Submit(StdioKernel kernel, string code)
    {
        var events = await kernel.SubmitAsync(code, CellTimeout);
        Assert.True(events.Failure is null, $"{code}: {events.Failure}\n{kernel.KernelStderr}");
        return events;
    }
}
