using System.Diagnostics;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>Every course notebook runs headless with the CI profile and passes.</summary>
[TestCaseOrderer(NameOrderer.TypeName, NameOrderer.AssemblyName)]
public sealed class CourseNotebookTests(ITestOutputHelper output)
{
    /// <summary>One case per notebooks/*.ipynb, by file name.</summary>
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        var names = Directory.Exists(RepositoryPaths.Notebooks)
            ? Directory.GetFiles(RepositoryPaths.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var name in names)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public Task Notebook_runs_with_the_ci_profile(string notebook) => Run(notebook, RepositoryPaths.Output);

    /// <summary>Chapter 01's colour path (3-channel encoder, colour augmentation, CIFAR-10 loader) on a CIFAR-format copy of Fashion-MNIST.</summary>
    [Theory]
    [InlineData("01_2_contrastive_learning.ipynb")]
    [InlineData("01_4_masked_prediction.ipynb")]
    public async Task Chapter_01_runs_on_colour_cifar_format_data(string notebook)
    {
        var data = Path.Combine(RepositoryPaths.Root, "out", "colour-data");
        lock (ColourLock)
            if (!File.Exists(Path.Combine(data, "cifar-10", "test_batch.bin"))) ColourFashionMnist.Write(data);
        await Run(notebook, Path.Combine(RepositoryPaths.Root, "out", "notebooks-test-colour"), ("Dataset", "cifar-10"), data);
    }

    private static readonly object ColourLock = new();

    private async Task Run(string notebook, string outDir, (string Name, string Value)? param = null, string? dataDir = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (dataDir is not null) psi.Environment["SSLCOURSE_DATA"] = dataDir;
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "SslCourse.Runner.dll"), "run", Path.Combine(RepositoryPaths.Notebooks, notebook),
            "--out", outDir, "--param", "Profile=ci", "--timeout", "1200", "--cell-timeout", "900",
            "--junit", Path.Combine(outDir, Path.GetFileNameWithoutExtension(notebook) + ".junit.xml"),
            .. param is { } p ? new[] { "--param", $"{p.Name}={p.Value}" } : [],
        ];
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (outText, errText) = (await stdout, await stderr);
        output.WriteLine(errText);
        var summary = outText.Split('\n').FirstOrDefault(l => l.StartsWith("FAIL ", StringComparison.Ordinal));
        Assert.True(process.ExitCode == 0,
            $"{notebook}: exit code {process.ExitCode}\n{summary ?? outText}\n{Tail(errText)}");
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));
}
