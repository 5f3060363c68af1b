using Xunit.Abstractions;
using System.Text.Json.Nodes;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests;

/// <summary>Grades one batch of synthetic submissions once (kernel starts cost seconds) and checks its outputs.</summary>
public sealed class GradingBatch : IDisposable
{
    public GradingBatch()
    {
        Root = CourseLayout();
        Master = Path.Combine(Root, "notebooks", "m.ipynb");
        File.WriteAllText(Master, Json(MasterCells()));
        var subs = Path.Combine(Root, "submissions");
        Directory.CreateDirectory(subs);
        Releaser.Release([Master], Path.Combine(Root, "release"));

        // The master itself (full marks) and the released, unsolved notebook (zero).
        File.Copy(Master, Path.Combine(subs, "a_master.ipynb"));
        File.Copy(Path.Combine(Root, "release", "m.ipynb"), Path.Combine(subs, "b_unsolved.ipynb"));
        // Partly correct: Add right, Mean wrong, Greet hard-coded to pass only the visible check.
        Student(subs, "c_partial", MasterCells(
            q2: "double Mean(double[] xs)\n{\n    return xs.Sum();\n}",
            q3: "string Greet(string name)\n{\n    return \"Hello, Ada!\";\n}"));
        // Mean never returns: its check hangs; the other questions still count.
        Student(subs, "d_loop", MasterCells(q2: "double Mean(double[] xs)\n{\n    while (true) { }\n}"));
        // Edits Q3's check to pass without the answer, and deletes Q1's check cell.
        var edited = MasterCells(q3: "string Greet(string name) => \"nope\";");
        edited[8]["source"] = "Console.WriteLine(\"all good\");";
        edited.RemoveAt(4);
        Student(subs, "e_editcheck", edited);
        // Not a notebook at all.
        File.WriteAllText(Path.Combine(subs, "f_malformed.ipynb"), "{ this is not json");
        // Deletes every file it can reach from its working directory, then answers correctly.
        var vandal = MasterCells();
        vandal.Insert(2, Code("vandal", "foreach (var f in Directory.EnumerateFiles(\"..\", \"*\", SearchOption.AllDirectories)) File.Delete(f);"));
        Student(subs, "g_vandal", vandal);

        Out = Path.Combine(Root, "out");
        var options = new GradeOptions { Limits = new SandboxLimits { CellTimeout = TimeSpan.FromSeconds(8), NotebookTimeout = TimeSpan.FromSeconds(120) } };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Results = new Grader(new RunnerProcessExecutor(Runner)).GradeAsync(Master, subs, Out, options).GetAwaiter().GetResult();
        Seconds = clock.Elapsed.TotalSeconds;
        Gradebook = File.ReadAllText(Path.Combine(Out, "grades.csv"));
    }

    public string Root { get; }
    public string Master { get; }
    public string Out { get; }
    public IReadOnlyList<SubmissionResult> Results { get; }
    public string Gradebook { get; }
    public double Seconds { get; }

    /// <summary>A learner's file: the released form of the given cells' checks (hidden tests removed), solutions as given.</summary>
    private static void Student(string dir, string name, List<JsonObject> cells)
    {
        foreach (var c in cells.Where(c => c["metadata"]?["nbgrader"]?["grade"]?.GetValue<bool>() == true && (string?)c["cell_type"] == "code"))
        {
            c["source"] = Regions.Release((string)c["source"]!, markdown: false);
        }
        File.WriteAllText(Path.Combine(dir, name + ".ipynb"), Json(cells));
    }

    public Dictionary<string, string> Row(string name)
    {
        var lines = Gradebook.TrimEnd().Split('\n');
        var header = lines[0].Split(',');
        var row = lines.Single(l => l.StartsWith(name + ",", StringComparison.Ordinal));
        var cells = SplitCsv(row);
        return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
    }

    internal static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cur = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        cells.Add(cur.ToString());
        return cells;
    }

    public void Dispose() => RunnerProcessExecutor.TryDelete(Root);
}

public sealed class GradingTests(GradingBatch batch, ITestOutputHelper output) : IClassFixture<GradingBatch>
{
    [Fact]
    public void Gradebook_has_one_row_per_submission_and_one_column_per_question()
    {
        output.WriteLine(batch.Gradebook);
        output.WriteLine($"batch of {batch.Results.Count} graded in {batch.Seconds:0.0} s");
        var lines = batch.Gradebook.TrimEnd().Split('\n');
        Assert.Equal("submission,q1_add,q2_mean,q3_greet,p1_essay (manual),total,max,status,notes", lines[0]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void The_master_gets_full_marks()
    {
        var row = batch.Row("a_master");
        Assert.Equal("", row["notes"]);
        Assert.Equal(("1", "2", "3", "", "6", "6", "graded"), (row["q1_add"], row["q2_mean"], row["q3_greet"], row["p1_essay (manual)"], row["total"], row["max"], row["status"]));
    }

    [Fact]
    public void The_unsolved_release_gets_zero_with_not_implemented_messages()
    {
        var row = batch.Row("b_unsolved");
        Assert.Equal(("0", "graded"), (row["total"], row["status"]));
        var r = batch.Results.Single(r => r.Name == "b_unsolved");
        Assert.StartsWith("not implemented yet", r.Questions[0].Message);
        Assert.StartsWith("not implemented yet", r.Questions[1].Message);
        Assert.Contains("expected \"Hello, Ada!\" but got \"\"", r.Questions[2].Message); // Q3's stub returns ""
    }

    [Fact]
    public void A_partly_correct_submission_loses_the_wrong_and_the_hard_coded_answers()
    {
        var row = batch.Row("c_partial");
        Assert.Equal(("1", "0", "0", "1"), (row["q1_add"], row["q2_mean"], row["q3_greet"], row["total"]));
        var q2 = batch.Results.Single(r => r.Name == "c_partial").Questions[1];
        Assert.Contains("Mean of 1, 2, 3: expected 2 but got 6", q2.Message);
        var q3 = batch.Results.Single(r => r.Name == "c_partial").Questions[2];
        Assert.Contains("expected \"Hello, Bob!\"", q3.Message); // only the hidden test catches it
    }

    [Fact]
    public void An_infinite_loop_loses_only_its_question()
    {
        var row = batch.Row("d_loop");
        Assert.Equal(("1", "0", "3", "4", "graded"), (row["q1_add"], row["q2_mean"], row["q3_greet"], row["total"], row["status"]));
        Assert.Contains("timed out", row["notes"]);
    }

    [Fact]
    public void An_edited_or_deleted_check_gains_nothing()
    {
        var row = batch.Row("e_editcheck");
        Assert.Equal(("1", "2", "0", "3"), (row["q1_add"], row["q2_mean"], row["q3_greet"], row["total"]));
        Assert.Contains("q3_greet: check cell was edited", row["notes"]);
        Assert.Contains("q1_add: check cell was deleted; re-inserted from the master", row["notes"]);
    }

    [Fact]
    public void A_malformed_submission_gets_a_row_saying_so()
    {
        var row = batch.Row("f_malformed");
        Assert.Equal(("0", "malformed"), (row["total"], row["status"]));
        Assert.Contains("not valid JSON", row["notes"]);
    }

    [Fact]
    public void A_submission_that_deletes_files_harms_only_its_working_copy()
    {
        Assert.Equal("6", batch.Row("g_vandal")["total"]);
        Assert.True(File.Exists(batch.Master));
        Assert.True(File.Exists(Path.Combine(TestNotebooks.RepoRoot, "lib", "SslCourse", "bin", "course", "SslCourse.dll")));
    }

    [Fact]
    public void Feedback_executed_notebooks_and_junit_are_written()
    {
        var md = File.ReadAllText(Path.Combine(batch.Out, "feedback", "c_partial.md"));
        Assert.Contains("**Autograded score: 1 / 6**", md);
        Assert.Contains("## q2_mean: 0 / 2", md);
        Assert.Contains("Graded by hand later: p1_essay (5 points)", md);
        Assert.Contains("<td class=\"bad\">", File.ReadAllText(Path.Combine(batch.Out, "feedback", "c_partial.html")));
        Assert.True(File.Exists(Path.Combine(batch.Out, "feedback", "f_malformed.md")));
        Assert.True(File.Exists(Path.Combine(batch.Out, "executed", "a_master.ipynb")));
        var junit = File.ReadAllText(Path.Combine(batch.Out, "junit.xml"));
        Assert.Contains("<testsuite name=\"c_partial\" tests=\"4\" failures=\"2\" skipped=\"1\"", junit);
    }

    [Fact]
    public async Task Grading_again_gives_an_identical_gradebook()
    {
        // Re-grade two submissions (one partial, one with an edited check) into a fresh folder, twice.
        var subs = Path.Combine(batch.Root, "again");
        Directory.CreateDirectory(subs);
        File.Copy(Path.Combine(batch.Root, "submissions", "c_partial.ipynb"), Path.Combine(subs, "c_partial.ipynb"));
        File.Copy(Path.Combine(batch.Root, "submissions", "f_malformed.ipynb"), Path.Combine(subs, "f_malformed.ipynb"));
        var grader = new Grader(new RunnerProcessExecutor(TestNotebooks.Runner));
        await grader.GradeAsync(batch.Master, subs, Path.Combine(batch.Root, "again-1"), new GradeOptions());
        await grader.GradeAsync(batch.Master, subs, Path.Combine(batch.Root, "again-2"), new GradeOptions());
        var first = File.ReadAllText(Path.Combine(batch.Root, "again-1", "grades.csv"));
        Assert.Equal(first, File.ReadAllText(Path.Combine(batch.Root, "again-2", "grades.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(batch.Root, "again-1", "feedback", "c_partial.md")), File.ReadAllText(Path.Combine(batch.Root, "again-2", "feedback", "c_partial.md")));
        // And the same rows as in the first batch.
        Assert.Contains(batch.Gradebook.Split('\n').Single(l => l.StartsWith("c_partial,", StringComparison.Ordinal)), first);
    }

    [Fact]
    public async Task Validate_reports_visible_checks_per_question()
    {
        var stdout = new StringWriter();
        var code = await GradingCli.RunAsync("validate", [Path.Combine(batch.Root, "submissions", "c_partial.ipynb")], new RunnerProcessExecutor(TestNotebooks.Runner), stdout, TextWriter.Null);
        output.WriteLine(stdout.ToString());
        Assert.Equal(1, code);
        Assert.Contains("✓ q1_add 1/1", stdout.ToString());
        Assert.Contains("✗ q2_mean 0/2: Check failed: Mean of 1, 2, 3", stdout.ToString());
        Assert.Contains("✓ q3_greet 3/3", stdout.ToString()); // visible checks only: the hard-coded answer passes here
        Assert.Contains("2 of 3 checks passed", stdout.ToString());
    }
}
