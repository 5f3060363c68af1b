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
    public async Task Notebook_runs_with_the_ci_profile(string notebook)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "SslCourse.Runner.dll"), "run", Path.Combine(RepositoryPaths.Notebooks, notebook),
            "--out", RepositoryPaths.Output, "--param", "Profile=ci", "--timeout", "1200", "--cell-timeout", "900",
            "--junit", Path.Combine(RepositoryPaths.Output, Path.GetFileNameWithoutExtension(notebook) + ".junit.xml"),
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
