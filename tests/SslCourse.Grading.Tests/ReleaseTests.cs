using System.Text.Json.Nodes;
using SslCourse.Notebooks;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests;

public sealed class ReleaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("release-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, IEnumerable<JsonObject> cells)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, Json(cells));
        return path;
    }

    private static string AllSource(string path) =>
        string.Join("\n", ((JsonArray)JsonNode.Parse(File.ReadAllText(path))!["cells"]!).Select(c => string.Concat(((JsonArray)c!["source"]!).Select(l => (string?)l))));

    [Fact]
    public void Release_replaces_solutions_with_stubs_and_drops_hidden_tests()
    {
        var master = Write("m.ipynb", MasterCells());
        var written = Releaser.Release([master], Path.Combine(_dir, "out"));
        var text = AllSource(written.Single());
        Assert.DoesNotContain("return a + b;", text);
        Assert.DoesNotContain("xs.Sum() / xs.Length", text);
        Assert.DoesNotContain("Hello, {name}", text);
        Assert.DoesNotContain("Add(-7, 7)", text);
        Assert.DoesNotContain("HIDDEN", text);
        Assert.DoesNotContain("SOLUTION", text);
        Assert.Contains("int Add(int a, int b)\n{\n    throw new NotImplementedException();\n}", text);
        Assert.Contains("    throw new NotImplementedException();\n}", text);
        Assert.Contains("    return \"\";\n}", text); // the STUB line
        Assert.Contains("Check.Equal(Add(2, 3), 5", text); // visible checks stay
        Assert.True(File.Exists(master));
    }

    [Fact]
    public void Consecutive_single_line_solutions_become_one_stub()
    {
        var released = Regions.Release("int F()\n{\n    var x = 1; // SOLUTION\n    return x; // SOLUTION\n}", markdown: false);
        Assert.Equal("int F()\n{\n    throw new NotImplementedException();\n}", released);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   }")]
    [InlineData("});")]
    [InlineData("//")]
    [InlineData("// END SOLUTION")]
    public void Trivial_lines_do_not_count_as_leaks(string line) => Assert.True(Regions.IsTrivial(line.Trim()));

    [Theory]
    [InlineData("return a + b;")]
    [InlineData("x")]
    [InlineData("// the trick: subtract the max")]
    public void Other_lines_count_as_leaks(string line) => Assert.False(Regions.IsTrivial(line.Trim()));

    [Fact]
    public void Leak_check_flags_a_secret_line_and_ignores_lines_public_elsewhere()
    {
        // "return greeting;" is also shown outside any region, so it is public; "return a + b;" is not.
        var cells = MasterCells();
        cells.Insert(2, Code("given", "string Shown(string greeting)\n{\n    return greeting;\n}"));
        var master = MasterNotebook.Load(Write("m.ipynb", cells));
        var student = Releaser.Student(master);
        Assert.Null(LeakCheck.Find(master, student));
        student.Cells[0].Source = "return a + b;";
        var leak = LeakCheck.Find(master, student);
        Assert.NotNull(leak);
        Assert.Contains("'return a + b;'", leak);
        Assert.Contains("cell 5 (id q1-sol)", leak);
    }

    public static TheoryData<string, string> BadMasters => new()
    {
        { "missing-points", "cell 5 (id q1-check): graded cell 'q1_add' has no points" },
        { "missing-id", "cell 5 (id q1-check): nbgrader cell has no grade_id" },
        { "duplicate-id", "cell 7 (id q2-check): duplicate grade_id 'q1_add' (also cell 5)" },
        { "unclosed", "cell 4 (id q1-sol): BEGIN SOLUTION is never closed (add // END SOLUTION)" },
        { "stray-end", "cell 6 (id q2-sol): line 2: END SOLUTION without a BEGIN SOLUTION" },
        { "nested", "cell 4 (id q1-sol): line 3: BEGIN HIDDEN TESTS inside an open SOLUTION region (regions do not nest)" },
        { "typo", "cell 4 (id q1-sol): line 3: malformed marker '// BEGIN SOLUTIONS'" },
        { "hidden-outside-check", "cell 4 (id q1-sol): hidden tests outside a check cell" },
    };

    [Theory]
    [MemberData(nameof(BadMasters))]
    public void Release_refuses_a_bad_master_with_one_line_naming_the_cell(string problem, string expected)
    {
        var cells = MasterCells();
        switch (problem)
        {
            case "missing-points": ((JsonObject)cells[4]["metadata"]!["nbgrader"]!).Remove("points"); break;
            case "missing-id": ((JsonObject)cells[4]["metadata"]!["nbgrader"]!).Remove("grade_id"); break;
            case "duplicate-id": cells[6]["metadata"]!["nbgrader"]!["grade_id"] = "q1_add"; break;
            case "unclosed": cells[3]["source"] = "int Add(int a, int b)\n{\n    // BEGIN SOLUTION\n    return a + b;\n}"; break;
            case "stray-end": cells[5]["source"] = "double Mean(double[] xs) => 0;\n// END SOLUTION"; break;
            case "nested": cells[3]["source"] = "int Add(int a, int b)\n// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n// END SOLUTION"; break;
            case "typo": cells[3]["source"] = "int Add(int a, int b)\n{\n    // BEGIN SOLUTIONS\n    return a + b;\n    // END SOLUTION\n}"; break;
            case "hidden-outside-check": cells[3]["source"] = Q1Solution + "\n// BEGIN HIDDEN TESTS\nvar x = 1;\n// END HIDDEN TESTS"; break;
        }
        var master = Write("m.ipynb", cells);
        var e = Assert.Throws<NotebookFormatException>(() => Releaser.Release([master], Path.Combine(_dir, "out")));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")) && Directory.EnumerateFiles(Path.Combine(_dir, "out")).Any());
    }

    [Fact]
    public async Task Cli_release_exits_2_with_one_line_and_never_overwrites_the_master()
    {
        var master = Write("m.ipynb", MasterCells());
        var before = File.ReadAllText(master);
        var err = new StringWriter();
        var code = await GradingCli.RunAsync("release", [master, "--out", _dir], new NoExecutor(), TextWriter.Null, err);
        Assert.Equal(2, code);
        Assert.Contains("would overwrite the master", err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Equal(before, File.ReadAllText(master));
    }

    [Fact]
    public void Releasing_the_chapter_03_master_leaks_no_solution_or_hidden_line()
    {
        var master = Path.Combine(RepoRoot, "notebooks", "03_exercises.ipynb");
        var written = Releaser.Release([master], Path.Combine(_dir, "out")).Single();
        var m = MasterNotebook.Load(master);
        Assert.Null(LeakCheck.Find(m, NotebookDocument.Load(written)));
        Assert.True(m.AutoQuestions.Count() >= 8);
        var text = AllSource(written);
        Assert.DoesNotContain("BEGIN SOLUTION", text);
        Assert.DoesNotContain("HIDDEN TESTS", text);
        // Every secret, non-trivial line of the master is absent from the released text.
        foreach (var cell in m.Doc.Cells)
        {
            foreach (var line in Regions.Parse(cell.Source).Where(l => l.Kind is LineKind.Solution or LineKind.Hidden && !Regions.IsTrivial(l.Text)))
            {
                Assert.DoesNotContain(line.Raw.TrimEnd() + "\n", text + "\n");
            }
        }
    }

    private sealed class NoExecutor : INotebookExecutor
    {
        public Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default) => throw new InvalidOperationException();
    }
}
