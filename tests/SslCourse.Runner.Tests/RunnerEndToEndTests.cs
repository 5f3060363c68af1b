using System.Text.Json.Nodes;
using System.Xml.Linq;
using static SslCourse.Runner.Tests.NotebookFiles;

namespace SslCourse.Runner.Tests;

/// <summary>End-to-end behaviour of <c>sslcourse run</c> through real child processes.</summary>
public sealed class RunnerEndToEndTests(MixedRunFixture run) : IClassFixture<MixedRunFixture>
{
    private string Diagnostics => $"exit {run.Result.ExitCode}\nstdout:\n{run.Result.Stdout}\nstderr:\n{run.Result.Stderr}";

    [Fact]
    public void Run_with_failures_exits_1_and_summarizes_every_notebook()
    {
        Assert.True(run.Result.ExitCode == 1, Diagnostics);
        var lines = run.Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("4 passed, 4 failed", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("PASS a_pass.ipynb ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL b_fail.ipynb cell 3 \"throw new InvalidOperationException", StringComparison.Ordinal) && l.Contains("boom"));
        Assert.Contains(lines, l => l.StartsWith("PASS g_after.ipynb ", StringComparison.Ordinal));
        Assert.Contains("[a_pass.ipynb] cell 3/6 \"// Parameters injected by sslcourse run\"", run.Result.Stderr);
    }

    [Fact]
    public void Passing_notebook_has_outputs_and_counts_and_the_source_is_unchanged()
    {
        var nb = run.Executed("a_pass.ipynb");
        var cells = nb["cells"]!.AsArray();
        Assert.Equal("kept", (string?)cells[0]!["metadata"]!["custom"]);
        var printing = cells[3]!;
        Assert.Equal(3, (int?)printing["execution_count"]);
        var outputs = printing["outputs"]!.AsArray();
        Assert.Contains(outputs, o => (string?)o!["output_type"] == "stream" && Text(o["text"]) == "profile=ci epochs=3\n");
        var result = Assert.Single(outputs, o => (string?)o!["output_type"] == "execute_result")!;
        Assert.Equal("42", Text(result["data"]!["text/plain"]));
        Assert.Equal(3, (int?)result["execution_count"]);
        Assert.Contains("headless=1", Text(cells[5]!["outputs"]![0]!["text"]));
        foreach (var (name, bytes) in run.Sources)
        {
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(run.SourceFolder, name)));
        }
    }

    [Fact]
    public void Parameters_are_injected_after_the_parameters_cell()
    {
        var cells = run.Executed("a_pass.ipynb")["cells"]!.AsArray();
        var injected = cells[2]!;
        Assert.Equal("injected-parameters", (string?)injected["metadata"]!["tags"]![0]);
        Assert.Equal("// Parameters injected by sslcourse run\nProfile = \"ci\";\nEpochs = 3;\n", Text(injected["source"]));
        Assert.Contains("no cell tagged \"parameters\"", run.Result.Stderr);
    }

    [Fact]
    public void Custom_html_formatter_output_is_kept()
    {
        var display = Assert.Single(Outputs(run.Executed("a_pass.ipynb")), o => (string?)o["output_type"] == "display_data");
        Assert.Equal("<b>foo 7</b>", Text(display["data"]!["text/html"]));
    }

    [Fact]
    public void Failing_cell_is_recorded_in_the_notebook_and_junit_and_later_cells_still_run()
    {
        var cells = run.Executed("b_fail.ipynb")["cells"]!.AsArray();
        var error = Assert.Single(cells[2]!["outputs"]!.AsArray())!;
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Contains("boom", (string?)error["evalue"]);
        Assert.Equal("after the failure\n", Text(cells[3]!["outputs"]![0]!["text"]));
        var failure = JUnitFailure("b_fail.ipynb");
        Assert.Contains("cell 3 \"throw new InvalidOperationException(\"boom\");\"", failure.Attribute("message")!.Value);
    }

    [Fact]
    public void Environment_Exit_fails_only_its_notebook()
    {
        Assert.StartsWith("FAIL c_exit.ipynb cell 2 \"Console.WriteLine(\"before exit\");\"", Line("c_exit.ipynb"));
        var cell = run.Executed("c_exit.ipynb")["cells"]![1]!;
        Assert.Contains(cell["outputs"]!.AsArray(), o => Text(o!["text"]) == "before exit\n");
        Assert.Contains(cell["outputs"]!.AsArray(), o => (string?)o!["ename"] == "NotebookCrashed");
        Assert.Contains("CRASHED", run.Result.Stderr);
        Assert.NotNull(JUnitFailure("c_exit.ipynb"));
    }

    [Fact]
    public void Stack_overflow_fails_only_its_notebook()
    {
        Assert.Equal("FAIL c_overflow.ipynb cell 2 \"int Down(int n) => Down(n + 1) + 1;\" : child process crashed (exit code 134): Stack overflow.", Line("c_overflow.ipynb"));
        Assert.Equal("Crashed", JUnitFailure("c_overflow.ipynb").Attribute("type")!.Value);
        Assert.StartsWith("FAIL d_timeout.ipynb", Line("d_timeout.ipynb"));
    }

    [Fact]
    public void Cell_timeout_is_recorded_and_the_run_goes_on()
    {
        Assert.Contains("[d_timeout.ipynb] cell 2/3 \"while (true) { }\"", run.Result.Stderr);
        Assert.Contains("TIMEOUT", run.Result.Stderr);
        var cells = run.Executed("d_timeout.ipynb")["cells"]!.AsArray();
        Assert.Equal("CellTimeout", (string?)cells[1]!["outputs"]![0]!["ename"]);
        Assert.Equal("timeout", (string?)cells[1]!["metadata"]!["sslcourse"]!["status"]);
        Assert.Equal("Timeout", JUnitFailure("d_timeout.ipynb").Attribute("type")!.Value);
        Assert.StartsWith("PASS e_big.ipynb", Line("e_big.ipynb"));
    }

    [Fact]
    public void Output_beyond_the_cap_is_truncated_with_a_marker()
    {
        var cell = run.Executed("e_big.ipynb")["cells"]![1]!;
        var outputs = cell["outputs"]!.AsArray();
        Assert.Equal(1024 * 1024, Text(outputs[0]!["text"]).Length);
        Assert.Equal("[output truncated: cell exceeded 1048576 bytes]\n", Text(outputs[^1]!["text"]));
        Assert.True((bool?)cell["metadata"]!["sslcourse"]!["output_truncated"]);
    }

    [Fact]
    public void Dib_notebook_runs_and_is_written_as_ipynb()
    {
        Assert.StartsWith("PASS f_polyglot.dib", Line("f_polyglot.dib"));
        var nb = run.Executed("f_polyglot.ipynb");
        Assert.Equal(".net-csharp", (string?)nb["metadata"]!["kernelspec"]!["name"]);
        var outputs = Outputs(nb).ToList();
        Assert.Contains(outputs, o => Text(o["text"]) == "from dib ci\n");
        Assert.Contains(outputs, o => Text(o["data"]?["text/plain"]) == "42");
    }

    private string Line(string notebook) =>
        run.Result.Stdout.Split('\n').Single(l => l.Contains($" {notebook} ", StringComparison.Ordinal) || l.EndsWith($" {notebook}", StringComparison.Ordinal));

    private XElement JUnitFailure(string notebook)
    {
        var junit = XDocument.Load(Path.Combine(run.Out, "junit.xml"));
        var testcase = junit.Root!.Elements("testcase").Single(t => t.Attribute("name")!.Value == notebook);
        return testcase.Element("failure") ?? throw new Xunit.Sdk.XunitException($"{notebook} has no failure in junit.xml");
    }
}
