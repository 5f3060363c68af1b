using System.Text.Json.Nodes;
using SslCourse.Notebooks.Tests.Jupyter;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// nbformat 4.5, checked with Debian's python3-nbformat schema as written on disk (nbschema.py; nbformat.validate
/// itself repairs missing and duplicate cell ids before it checks): the committed notebooks, the runner's executed
/// notebooks (streams, displays, charts, errors, a truncated cell) and the grader's released and graded notebooks.
/// </summary>
public sealed class NotebookSchemaTests(ITestOutputHelper output)
{
    private static string Out => Path.Combine(RepositoryPaths.Root, "out", "schema-test");
    private static string Fixture(string name) => Path.Combine(RepositoryPaths.Root, "tests", "SslCourse.Notebooks.Tests", "Fixtures", name);

    [Fact]
    public void Committed_notebooks_are_valid_nbformat_4_5()
    {
        var count = Directory.GetFiles(RepositoryPaths.Notebooks, "*.ipynb").Length;
        var (code, text) = JupyterHost.Validate(RepositoryPaths.Notebooks);
        output.WriteLine(text);
        Assert.True(code == 0, text);
        Assert.Contains($"nbformat 4.5: {count} valid, 0 invalid", text);
    }

    [Fact]
    public void The_check_fails_on_what_nbformat_would_repair()
    {
        // A missing id (a fixture) and a duplicated id (00_setup with its third cell's id copied to the fourth).
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Notebooks, "00_setup.ipynb")))!;
        var cells = json["cells"]!.AsArray();
        cells[3]!["id"] = (string?)cells[2]!["id"];
        Directory.CreateDirectory(Out);
        var duplicate = Path.Combine(Out, "duplicate_id.ipynb");
        File.WriteAllText(duplicate, json.ToJsonString());
        var (code, text) = JupyterHost.Validate(Fixture("jupyter_problems.ipynb"), duplicate);
        output.WriteLine(text);
        Assert.Equal(1, code);
        Assert.Contains("jupyter_problems.ipynb: cell 1 (id no id): 'id' is a required property", text);
        Assert.Contains($"duplicate_id.ipynb: cell 4: id {(string?)cells[2]!["id"]} is also cell 3's (ids must be unique)", text);
        Assert.Contains("nbformat 4.5: 0 valid, 2 invalid", text);
    }

    [Fact]
    public async Task The_runners_executed_notebooks_are_valid_nbformat_4_5()
    {
        // A chart cell that throws (an error output) and every kind of chart; then the charts again with a
        // 3,000-byte cell cap, so truncated cells carry the runner's marker.
        var full = Path.Combine(Out, "runner");
        var capped = Path.Combine(Out, "runner-capped");
        foreach (var dir in new[] { full, capped }) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var run = await RunnerHost.RunAsync("run", Fixture("chart_throws.ipynb"), Fixture("charts_offline.ipynb"), "--out", full);
        output.WriteLine(run.Stdout);
        Assert.Equal(1, run.ExitCode); // chart_throws fails, by design
        var cappedRun = await RunnerHost.RunAsync("run", Fixture("charts_offline.ipynb"), "--out", capped, "--max-cell-output", "3000");
        Assert.True(cappedRun.ExitCode == 0, cappedRun.Stdout + cappedRun.Stderr);
        Assert.Contains("[output truncated", File.ReadAllText(Path.Combine(capped, "charts_offline.ipynb")));

        var (code, text) = JupyterHost.Validate(full, capped);
        output.WriteLine(text);
        Assert.True(code == 0, text);
        Assert.Contains("nbformat 4.5: 3 valid, 0 invalid", text);
    }

    [Fact]
    public async Task The_graders_released_and_graded_notebooks_are_valid_nbformat_4_5()
    {
        var master = Path.Combine(RepositoryPaths.Notebooks, "03_exercises.ipynb");
        var release = Path.Combine(Out, "release");
        var grades = Path.Combine(Out, "grades");
        foreach (var dir in new[] { release, grades }) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var released = await RunnerHost.RunAsync("release", master, "--out", release);
        Assert.True(released.ExitCode == 0, released.Stdout + released.Stderr);

        // One learner who handed in the release untouched, one who handed in the master's solutions.
        var submissions = Path.Combine(Out, "submissions");
        if (Directory.Exists(submissions)) Directory.Delete(submissions, recursive: true);
        Directory.CreateDirectory(submissions);
        File.Copy(Path.Combine(release, "03_exercises.ipynb"), Path.Combine(submissions, "as_released.ipynb"));
        File.Copy(master, Path.Combine(submissions, "solved.ipynb"));
        var graded = await RunnerHost.RunAsync("grade", "--master", master, "--submissions", submissions, "--out", grades, "--param", "Profile=ci");
        output.WriteLine(graded.Stdout);
        Assert.True(graded.ExitCode is 0 or 1, graded.Stdout + graded.Stderr);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(grades, "executed"), "*.ipynb").Length);

        var (code, text) = JupyterHost.Validate(release, Path.Combine(grades, "executed"));
        output.WriteLine(text);
        Assert.True(code == 0, text);
        Assert.Contains("nbformat 4.5: 3 valid, 0 invalid", text);
    }
}
