using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SslCourse.Notebooks;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests.Hostile;

/// <summary>The grader's defences that need no kernel: shadowing detection, qualification, seals, env allow-list, shards.</summary>
public sealed partial class HardeningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hardening-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Declarations_are_found_at_top_level_only_for_learner_cells()
    {
        var learner = "static class Check { static void Close() { var inner = 1; } }\nTensor eye(int n) => null;\nvar loss = 1.0;\nusing M = System.Math;\n"
                      + "double Mean(double[] xs)\n{\n    var total = 0.0;\n    foreach (var x in xs) total += x;\n    return total / xs.Length;\n}\nrecord Pair(int A);\n// class InComment\nvar s = \"class InString\";";
        var names = CheckHardening.Declared(learner, topLevelOnly: true);
        Assert.Equal(["Check", "M", "Mean", "Pair", "eye", "loss", "s"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_check_uses_the_names_it_looks_up_not_its_locals_members_or_argument_names()
    {
        var check = "var e = eye(4);\nCheck.Close(NtXent(e, e, 0.5).item<float>(), Math.Log(2), 1e-5, what: \"x\", hint: \"y\");\n"
                    + "void Split(int n) { var (keep, masked) = Sample(n); Check.Equal(keep.shape[0], 2L); }\nvar picks = Enumerable.Range(0, 3).Select(i => i * 2);";
        var used = CheckHardening.Used(check);
        foreach (var name in new[] { "eye", "Check", "NtXent", "Math", "Sample", "Enumerable" })
        {
            Assert.Contains(name, used);
        }
        foreach (var name in new[] { "e", "what", "hint", "item", "Log", "n", "keep", "masked", "i", "picks", "Split", "float" })
        {
            Assert.DoesNotContain(name, used);
        }
    }

    [Fact]
    public void Check_and_Math_are_qualified_and_the_seal_ends_the_cell()
    {
        var source = "Check.Close(Math.Abs(x), 1); // Check.Close in a comment\nvar s = \"Math.PI\"; Check.True(y.Math.Z, \"m\");";
        Assert.Equal("global::SslCourse.Grading.Check.Close(global::System.Math.Abs(x), 1); // Check.Close in a comment\nvar s = \"Math.PI\"; global::SslCourse.Grading.Check.True(y.Math.Z, \"m\");",
            CheckHardening.Qualify(source));
        Assert.EndsWith("\n;global::System.Console.Out.WriteLine(\"sslcourse-seal ABC\");", CheckHardening.Sealed("Check.Passed(\"q\")", "ABC"));
    }

    [Fact]
    public void The_course_exercises_solved_or_not_shadow_nothing()
    {
        // An honest learner must never lose a check to the shadowing rule: neither the master's own solutions nor
        // the released stubs of the real chapter-03 exercises may be flagged.
        var master = MasterNotebook.Load(Path.Combine(RepoRoot, "notebooks", "03_exercises.ipynb"));
        foreach (var doc in new[] { master.Doc, Releaser.Student(master) })
        {
            var assembled = SubmissionAssembler.Assemble(master, doc.Clone());
            Assert.Empty(SubmissionHardening.Analyze(master, assembled).Shadowed);
        }
    }

    [Fact]
    public void A_learner_helper_that_redefines_a_torch_function_the_check_uses_is_flagged()
    {
        var master = MasterNotebook.Load(Path.Combine(RepoRoot, "notebooks", "03_exercises.ipynb"));
        var doc = master.Doc.Clone();
        doc.Cells.Insert(3, new NotebookCell("code", "Tensor eye(long n, ScalarType? dtype = null) => zeros(n, n);"));
        var shadowed = SubmissionHardening.Analyze(master, SubmissionAssembler.Assemble(master, doc)).Shadowed;
        Assert.Equal(["eye"], shadowed["q1_ntxent"]);
        Assert.Equal(["eye"], shadowed["q3_probe"]);
        Assert.False(shadowed.ContainsKey("q2_augment"));
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

    [GeneratedRegex(@"sslcourse-seal [0-9A-F]+")]
    private static partial Regex SealRegex();

    /// <summary>Pretends every cell ran and passed (printing a check's seal, as a real run does): no kernel needed.</summary>
    private sealed class PassingExecutor : INotebookExecutor
    {
        public Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
        {
            var doc = NotebookDocument.Load(request.NotebookPath);
            foreach (var cell in doc.Cells.Where(c => c.IsCode))
            {
                cell.Metadata["sslcourse"] = new JsonObject { ["status"] = "ok" };
                if (SealRegex().Match(cell.Source) is { Success: true } seal)
                {
                    cell.Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = seal.Value + "\n" });
                }
            }
            doc.Save(request.OutputPath);
            return Task.FromResult(new ExecutionOutcome(0, null, 0));
        }
    }
}
