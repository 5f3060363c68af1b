using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// <c>./course export</c> turns notebooks into .NET 10 file-based apps; the quick ones run here with
/// <c>dotnet run</c> and must print what the runner prints for the same notebook and seed: the same PASS lines and
/// numbers, in the same order (durations, progress lines and the banner aside).
/// </summary>
[TestCaseOrderer(NameOrderer.TypeName, NameOrderer.AssemblyName)]
public sealed partial class ExportedAppTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("00_setup")]
    [InlineData("02_1_language_modeling")]
    [InlineData("02_2_tokenization")]
    [InlineData("03_exercises")]
    public async Task Exported_app_prints_what_the_runner_prints(string name)
    {
        var notebook = Path.Combine(RepositoryPaths.Notebooks, name + ".ipynb");
        var apps = Path.Combine(RepositoryPaths.Root, "out", "apps");
        var export = await Run(RepositoryPaths.Root, Path.Combine(AppContext.BaseDirectory, "SslCourse.Export.dll"), "--out", apps, "--repo", RepositoryPaths.Root, notebook);
        Assert.True(export.Code == 0, $"export failed: {export.Stderr}");
        var app = await Run(RepositoryPaths.Root, "run", "-c", "Release", Path.Combine(apps, name + ".cs"), "--", "--profile", "ci");
        output.WriteLine($"app: {app.Seconds:F1} s");
        Assert.True(app.Code == 0, $"{name}.cs exited with {app.Code}\n{Tail(app.Stdout)}\n{Tail(app.Stderr)}");

        var outDir = Path.Combine(RepositoryPaths.Root, "out", "apps-runner");
        var runner = await Run(RepositoryPaths.Root, Path.Combine(AppContext.BaseDirectory, "SslCourse.Runner.dll"), "run", notebook, "--out", outDir, "--param", "Profile=ci");
        output.WriteLine($"runner: {runner.Seconds:F1} s");
        Assert.True(runner.Code == 0, $"runner: {Tail(runner.Stdout)}\n{Tail(runner.Stderr)}");
        var expected = Comparable(RunnerStdout(Path.Combine(outDir, name + ".ipynb")));
        var actual = Comparable(app.Stdout);
        Assert.NotEmpty(expected);
        // Every line the runner printed appears in the app's output, in order; the app also prints displayed values.
        int at = 0;
        foreach (var line in expected)
        {
            var found = actual.IndexOf(line, at);
            Assert.True(found >= 0, $"{name}: the app did not print (in order) the runner's line\n  {line}\napp output:\n  {string.Join("\n  ", actual)}");
            at = found + 1;
        }
        output.WriteLine($"{expected.Count} lines agree, {expected.Count(l => l.StartsWith("PASS", StringComparison.Ordinal))} of them PASS lines");
    }

    /// <summary>The original course's two example programs, as file-based apps: each runs on real data and prints every section.</summary>
    [Theory]
    [InlineData("pretraining_examples", new[] { "1. contrastive learning", "2. linear probe", "3. finetuning" })]
    [InlineData("pretrain_llm_examples", new[] { "1. the chain rule", "2. the Transformer's interface", "3. temperature sampling", "4. zero-shot", "5. in-context learning" })]
    public async Task Example_program_runs_and_prints_each_section(string name, string[] sections)
    {
        var app = await Run(RepositoryPaths.Root, "run", "-c", "Release", Path.Combine(RepositoryPaths.Root, "examples", name + ".cs"));
        output.WriteLine($"{name}: {app.Seconds:F1} s\n{string.Join('\n', app.Stdout.Split('\n').Where(l => !l.Contains("ETA ", StringComparison.Ordinal)))}");
        Assert.True(app.Code == 0, $"{name}.cs exited with {app.Code}\n{Tail(app.Stdout)}\n{Tail(app.Stderr)}");
        foreach (var s in sections) Assert.Contains(s, app.Stdout);
        Assert.DoesNotContain("NaN", app.Stdout);
    }

    private static List<string> Comparable(string stdout) =>
        stdout.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.Trim().Length > 0 && !Volatile().IsMatch(l))
            .Select(l => Duration().Replace(l, "#s")).ToList();

    private static string RunnerStdout(string executed) =>
        string.Concat(NotebookDocument.Load(executed).Cells.SelectMany(c => c.Outputs.OfType<JsonObject>())
            .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout")
            .Select(o => NotebookDocument.JoinText(o["text"])));

    private sealed record Result(int Code, string Stdout, string Stderr, double Seconds);

    private static async Task<Result> Run(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var (o, e) = (p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
        await p.WaitForExitAsync();
        return new Result(p.ExitCode, await o, await e, clock.Elapsed.TotalSeconds);
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));

    // The banner (paths differ between hosts), progress lines (timing), and chart-file lines (the app's own).
    [GeneratedRegex(@"^SslCourse · profile|ETA |elapsed|^chart \(")]
    private static partial Regex Volatile();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(s|ms)\b")]
    private static partial Regex Duration();
}
