using Xunit.Abstractions;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests;

/// <summary>
/// Issue 21, item 6: a fresh clone grades in the sandbox on the first try. The course library here is a copy whose
/// TorchSharp shim is as NuGet ships it (before the course's one-time libstdc++ step, which writes the library's
/// native folder); the sandbox shows that folder read-only, so the step must happen outside it, before the first kernel.
/// </summary>
public sealed class FreshLibraryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grading-fresh-").FullName;

    public void Dispose() => RunnerProcessExecutor.TryDelete(_root);

    [Fact]
    public async Task A_library_whose_native_step_never_ran_grades_in_the_sandbox_on_the_first_try()
    {
        var built = Path.Combine(RepoRoot, "lib", "SslCourse", "bin", "course");
        var library = Path.Combine(_root, "lib", "SslCourse", "bin", "course");
        Mirror(built, library);
        const string shim = "runtimes/linux-x64/native/libLibTorchSharp.so";
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var shipped = Directory.GetFiles(Path.Combine(packages, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single(f => f.Contains("linux-x64", StringComparison.Ordinal));
        File.Delete(Path.Combine(library, shim));
        File.Copy(shipped, Path.Combine(library, shim));

        Directory.CreateDirectory(Path.Combine(_root, "notebooks"));
        var master = Path.Combine(_root, "notebooks", "m.ipynb");
        File.WriteAllText(master, Json(
        [
            Code("setup", "#r \"../lib/SslCourse/bin/course/SslCourse.dll\"\nusing SslCourse.Runtime; using SslCourse.Grading;\nusing TorchSharp; using static TorchSharp.torch;"),
            Code("params", "var Profile = \"ci\";", tags: ["parameters"]),
            Code("init", "var course = Course.Init(Profile, 0);"),
            Code("q1-sol", "Tensor Twice(Tensor x)\n{\n    return x * 2; // SOLUTION\n}", Solution("q1_twice_solution")),
            Code("q1-check", "Check.Close(Twice(ones(3)), full(3, 2.0f), 1e-6, what: \"Twice of ones\");", Check("q1_twice", 1)),
        ]));
        var subs = Path.Combine(_root, "submissions");
        Directory.CreateDirectory(subs);
        File.Copy(master, Path.Combine(subs, "solved.ipynb"));
        using var executor = new RunnerProcessExecutor(Runner);
        var results = await new Grader(executor).GradeAsync(master, subs, Path.Combine(_root, "out"), new GradeOptions { Sandbox = true });
        var solved = results.Single();
        output.WriteLine(string.Join("\n", solved.Notes.Concat(solved.Questions.Select(q => $"{q.Question.Id}: {q.Points} {q.Message}"))));
        Assert.Equal((1.0, "graded"), (solved.Total, solved.Status));
        // Course.Init ran in the sandbox without error (the previous grader failed it there: GLIBCXX_3.4.32 not found).
        var init = Notebooks.NotebookDocument.Load(Path.Combine(_root, "out", "executed", "solved.ipynb")).Cells.Single(c => c.Id == "init");
        Assert.Equal(Notebooks.CellStatus.Ok, Notebooks.CellRunMetadata.Status(init));
        // The step ran (outside the sandbox) on the copy, never on the NuGet cache.
        Assert.NotEqual(File.ReadAllBytes(shipped), File.ReadAllBytes(Path.Combine(library, shim)));
    }

    /// <summary>A copy of <paramref name="source"/> made of hard links (one file system; the sandbox binds the folder, so no link may lead outside it).</summary>
    private static void Mirror(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var cp = System.Diagnostics.Process.Start("cp", ["-al", source, target])!;
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
    }
}
