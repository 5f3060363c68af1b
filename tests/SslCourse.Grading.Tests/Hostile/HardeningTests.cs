using System.Text.Json.Nodes;
using SslCourse.Notebooks;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests.Hostile;

/// <summary>
/// The grader's defences that need no kernel: Roslyn source checks (declarations however spelled, refused #r lines),
/// the judge plan (no check code in the learner's notebook), report escaping, the CSV merge, the environment allow-list.
/// </summary>
public sealed class HardeningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hardening-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MasterNotebook Chapter03 => MasterNotebook.Load(Path.Combine(RepoRoot, "notebooks", "03_exercises.ipynb"));

    [Fact]
    public void Declarations_are_found_at_top_level_for_learner_cells()
    {
        var learner = "using M = System.Math;\nstatic class Check { static void Close() { var inner = 1; } }\nTensor eye(int n) => null;\nvar loss = 1.0;\n"
                      + "double Mean(double[] xs)\n{\n    var total = 0.0;\n    foreach (var x in xs) total += x;\n    return total / xs.Length;\n}\nrecord Pair(int A);\n// class InComment\nvar s = \"class InString\";";
        Assert.Equal(["Check", "M", "Mean", "Pair", "eye", "loss", "s"], CSharpSource.Declared(learner).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Tensor @arange(long n) => zeros(n);")]
    [InlineData("Tensor \\u0061range(long n) => zeros(n);")]
    [InlineData("#if false\n{\n#endif\nTensor arange(long n) => zeros(n);")]
    [InlineData("/* } */ Tensor arange(long n) => zeros(n); // {")]
    public void Shadowing_is_seen_however_it_is_spelled(string cell)
    {
        // Class 4 of issue 21 (unicode/verbatim shadowing): the regex scan of the previous grader missed all but the plain spelling.
        Assert.Contains("arange", CSharpSource.Declared(cell));
    }

    [Fact]
    public void Using_static_and_aliases_are_declarations()
    {
        var names = CSharpSource.Declared("using static Helpers;\nusing Check = MyCheck;\nusing System.Linq;");
        Assert.Equal(["Check", "using static Helpers"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_check_uses_the_names_it_looks_up_not_its_locals_members_or_argument_names()
    {
        var check = "var e = eye(4);\nCheck.Close(NtXent(e, e, 0.5).item<float>(), Math.Log(2), 1e-5, what: \"x\", hint: \"y\");\n"
                    + "void Split(int n) { var (keep, masked) = Sample(n); Check.Equal(keep.shape[0], 2L); }\nvar picks = Enumerable.Range(0, 3).Select(i => i * 2);";
        var used = CSharpSource.Used(check);
        Assert.All(new[] { "eye", "Check", "NtXent", "Math", "Sample", "Enumerable" }, n => Assert.Contains(n, used));
        Assert.All(new[] { "e", "what", "hint", "item", "Log", "n", "keep", "masked", "i", "picks", "Split", "float" }, n => Assert.DoesNotContain(n, used));
    }

    [Fact]
    public void Every_r_line_is_found_even_in_a_comment()
    {
        var refs = CSharpSource.References("#r \"../lib/x.dll\"\n/*\n#r \"/tmp\"\n*/\n  #r \"nuget: Foo, 1.0\"\nvar s = \"#r not this\";");
        Assert.Equal([(0, "../lib/x.dll"), (2, "/tmp"), (4, "nuget: Foo, 1.0")], refs);
    }

    [Fact]
    public void A_submissions_own_r_lines_are_refused_with_a_note_and_never_bound()
    {
        // Class 2 of issue 21 (#r binds): absolute paths, a file the submission wrote, a path hidden in a comment.
        var master = Chapter03;
        var doc = master.Doc.Clone();
        doc.Cells.Insert(4, new NotebookCell("code", "#r \"/tmp/x/y.dll\"\n/*\n#r \"/proc/1\"\n*/\n#r \"liar.dll\"\n#r \"../lib/SslCourse/bin/course/SslCourse.dll\"\nvar ok = 1;"));
        var assembled = SubmissionAssembler.Assemble(master, doc);
        var hardening = SubmissionHardening.Analyze(master, assembled);
        var cell = assembled.Doc.Cells.Single(c => c.Source.Contains("var ok = 1;", StringComparison.Ordinal));
        Assert.DoesNotContain(CSharpSource.References(cell.Source), r => r.Target != "../lib/SslCourse/bin/course/SslCourse.dll");
        Assert.Equal(3, hardening.Notes.Count);
        Assert.Contains("#r \"liar.dll\" refused", hardening.Notes[2]);
    }

    [Fact]
    public void The_course_exercises_solved_or_not_note_nothing()
    {
        var master = Chapter03;
        foreach (var doc in new[] { master.Doc, Releaser.Student(master) })
        {
            var hardening = SubmissionHardening.Analyze(master, SubmissionAssembler.Assemble(master, doc.Clone()));
            Assert.Empty(hardening.Shadowed);
            Assert.Empty(hardening.Notes);
        }
    }

    [Fact]
    public void A_learner_helper_named_like_a_function_the_check_uses_is_noted()
    {
        var master = Chapter03;
        var doc = master.Doc.Clone();
        doc.Cells.Insert(3, new NotebookCell("code", "Tensor \\u0065ye(long n, ScalarType? dtype = null) => zeros(n, n);"));
        var shadowed = SubmissionHardening.Analyze(master, SubmissionAssembler.Assemble(master, doc)).Shadowed;
        Assert.Equal(["eye"], shadowed["q1_ntxent"]);
        Assert.False(shadowed.ContainsKey("q2_augment"));
    }

    [Fact]
    public void The_learners_notebook_gets_probes_no_check_code_and_the_judge_gets_every_check()
    {
        // Class 3 of issue 21 (the verdict in the learner's process): the notebook the learner's kernel runs holds no
        // line of any check cell, visible or hidden, and no expected value; the judge's spec holds them all.
        var master = Chapter03;
        var plan = JudgePlan.For(master);
        var assembled = SubmissionAssembler.Assemble(master, Releaser.Student(master));
        var run = assembled.Doc.Clone();
        SubmissionHardening.Analyze(master, assembled).Probe(run, assembled.CheckCellIds, plan);
        var sent = string.Join("\n", run.Cells.Select(c => c.Source));
        foreach (var q in master.AutoQuestions)
        {
            foreach (var line in master.Doc.Cells[q.MasterIndex].Source.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 12 && !l.StartsWith("//", StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(line, sent);
            }
        }
        Assert.Equal(master.AutoQuestions.Count(), run.Cells.Count(c => c.Source.Contains("Probe.Serve", StringComparison.Ordinal)));
        Assert.Contains("new(\"NtXent/3\", __a => NtXent(__a.Get<Tensor>(0), __a.Get<Tensor>(1), __a.Get<double>(2))),", sent);
        var spec = plan.Spec(assembled.CheckCellIds);
        Assert.Equal(master.AutoQuestions.Select(q => master.Doc.Cells[q.MasterIndex].Source).Order(), spec.Checks.Values.Order());
        Assert.Contains("Tensor NtXent(Tensor z1, Tensor z2, double tau) => global::SslCourse.Grading.Judge.Call<Tensor>(\"NtXent/3\", new object?[] { z1, z2, tau });", plan.Stubs);
        Assert.Equal(["setup", "parameters", "init"], spec.Prelude.Select(c => master.Doc.Cells.First(m => m.Source == c.Source).Id));
    }

    [Fact]
    public void A_check_that_reads_a_solution_variable_is_refused_at_grade_start()
    {
        var cells = MasterCells(q1: "int Add(int a, int b)\n{\n    return a + b; // SOLUTION\n}\nvar answer = 42; // SOLUTION");
        cells[4]["source"] = "Check.Equal(answer, 42);";
        var path = Path.Combine(_dir, "m.ipynb");
        File.WriteAllText(path, Json(cells));
        var e = Assert.Throws<NotebookFormatException>(() => JudgePlan.For(MasterNotebook.Load(path)));
        Assert.Contains("q1_add: the check reads answer, a variable of a solution cell", e.Message);
    }

    [Fact]
    public void Learner_strings_are_inert_in_every_report()
    {
        // Class 5 of issue 21 (markup injection): raw <script>, <img onerror>, |, ESC and BEL, and a formula name.
        var evil = "<script>alert(1)</script> <img src=x onerror=alert(2)> | [a](javascript:x) *b* \u001b[31m\a";
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; \\| \\[a\\](javascript:x) \\*b\\* \\[31m", ReportText.Markdown(evil));
        Assert.DoesNotContain("<", ReportText.Html(evil));
        Assert.DoesNotContain('\u001b', ReportText.Html(evil));
        Assert.Equal("'-2-3", ReportText.Csv("-2-3"));
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\")\"", ReportText.Csv("=HYPERLINK(\"x\")"));
        Assert.Equal("\"'+1,2\"", ReportText.Csv("+1,2"));
        Assert.Equal("'@x", ReportText.Csv("@x"));
        Assert.Equal("a_b-c", ReportText.Csv("a_b-c"));
    }

    [Fact]
    public void Feedback_carries_no_raw_markup_from_a_message()
    {
        var master = MasterNotebook.Load(WriteMaster());
        var q = master.Questions[0];
        var result = new SubmissionResult("-2-3", "graded", [new QuestionResult(q, 0, false, "expected <b>x</b> | y\n# heading\u0007")], ["note <script>"], 1);
        Reports.WriteFeedback(_dir, master, result);
        Reports.WriteGradebook(Path.Combine(_dir, "grades.csv"), master, [result]);
        var md = File.ReadAllText(Path.Combine(_dir, "feedback", "-2-3.md"));
        Assert.DoesNotContain("<b>", md);
        Assert.DoesNotContain("<script>", md);
        Assert.DoesNotContain('\a', md);
        Assert.Contains("> expected &lt;b&gt;x&lt;/b&gt; \\| y  \n> \\# heading", md);
        Assert.DoesNotContain("<script>", File.ReadAllText(Path.Combine(_dir, "feedback", "-2-3.html")));
        Assert.StartsWith("'-2-3,", File.ReadAllLines(Path.Combine(_dir, "grades.csv"))[1]);
    }

    [Fact]
    public void Shard_merge_reads_quoted_commas_and_line_breaks()
    {
        const string header = "submission,q1,total,max,status,notes";
        string Shard(string name, string rows)
        {
            var dir = Path.Combine(_dir, name);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "grades.csv"), header + "\n" + rows);
            return dir;
        }
        var a = Shard("a", "\"ann, the first\",1,1,1,graded,\"note, with\nline break\"\n");
        var b = Shard("b", "bob,0,0,1,graded,\n\"ann, the first\",1,1,1,graded,\n");
        var twice = Assert.Throws<NotebookFormatException>(() => ShardMerge.Merge([a, b], Path.Combine(_dir, "out")));
        Assert.Contains("'ann, the first' is graded in two shards", twice.Message);
        var c = Shard("c", "bob,0,0,1,graded,\n");
        Assert.Equal(2, ShardMerge.Merge([a, c], Path.Combine(_dir, "merged")));
        Assert.Equal(header + "\n\"ann, the first\",1,1,1,graded,\"note, with\nline break\"\nbob,0,0,1,graded,\n", File.ReadAllText(Path.Combine(_dir, "merged", "grades.csv")));
    }

    [Fact]
    public void The_environment_allow_list_names_variables_not_prefixes()
    {
        var limits = new SandboxLimits();
        Assert.True(limits.Allows("NUGET_PACKAGES"));
        Assert.True(limits.Allows("DOTNET_ROOT"));
        Assert.False(limits.Allows("NUGET_AUTH_TOKEN"));
        Assert.False(limits.Allows("DOTNET_SECRET"));
        Assert.False(limits.Allows("SSLCOURSE_TOKEN"));
        Assert.False(limits.Allows("DOTNET_STARTUP_HOOKS"));
        Assert.True((limits with { EnvironmentNames = [.. limits.EnvironmentNames, "MY_VAR"] }).Allows("MY_VAR"));
    }

    [Fact]
    public async Task Shards_merge_into_the_gradebook_of_one_run()
    {
        var root = CourseLayout();
        try
        {
            var master = Path.Combine(root, "notebooks", "m.ipynb");
            File.WriteAllText(master, Json(MasterCells()));
            var subs = Path.Combine(root, "subs");
            Directory.CreateDirectory(subs);
            foreach (var name in new[] { "ann", "bob", "cy", "dee", "eve" })
            {
                File.WriteAllText(Path.Combine(subs, name + ".ipynb"), Json(MasterCells()));
            }
            var grader = new Grader(new PassingExecutor());
            var options = new GradeOptions { Sandbox = false };
            await grader.GradeAsync(master, subs, Path.Combine(root, "all"), options);
            var shards = new List<string>();
            for (var k = 1; k <= 3; k++)
            {
                var dir = Path.Combine(root, $"shard{k}");
                var results = await grader.GradeAsync(master, subs, dir, new GradeOptions { Sandbox = false, Shard = (k, 3) });
                Assert.Equal(k < 3 ? 2 : 1, results.Count);
                shards.Add(dir);
            }
            Assert.Equal(5, ShardMerge.Merge(shards, Path.Combine(root, "merged")));
            Assert.Equal(File.ReadAllText(Path.Combine(root, "all", "grades.csv")), File.ReadAllText(Path.Combine(root, "merged", "grades.csv")));
            Assert.Equal(10, Directory.GetFiles(Path.Combine(root, "merged", "feedback")).Length);
            Assert.Equal(5, System.Xml.Linq.XDocument.Load(Path.Combine(root, "merged", "junit.xml")).Root!.Elements("testsuite").Count());
            Assert.Contains("6,6,graded", File.ReadAllText(Path.Combine(root, "merged", "grades.csv")));
            var twice = Assert.Throws<NotebookFormatException>(() => ShardMerge.Merge([shards[0], shards[0]], Path.Combine(root, "bad")));
            Assert.Contains("graded in two shards", twice.Message);
        }
        finally
        {
            RunnerProcessExecutor.TryDelete(root);
        }
    }

    private string WriteMaster()
    {
        var path = Path.Combine(_dir, "m.ipynb");
        File.WriteAllText(path, Json(MasterCells()));
        return path;
    }

    /// <summary>Pretends every cell ran and the judge passed every check: no kernel needed.</summary>
    private sealed class PassingExecutor : INotebookExecutor
    {
        public Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
        {
            var doc = NotebookDocument.Load(request.NotebookPath);
            foreach (var cell in doc.Cells.Where(c => c.IsCode))
            {
                cell.Metadata["sslcourse"] = new JsonObject { ["status"] = "ok" };
            }
            doc.Save(request.OutputPath);
            return Task.FromResult(new ExecutionOutcome(0, null, 0));
        }
    }
}
