using System.Xml.Linq;
using static SslCourse.Runner.Tests.NotebookFiles;

namespace SslCourse.Runner.Tests;

/// <summary>
/// Two runs into one --out at the same time: one over a folder holding a malformed notebook, one whose notebook
/// leaves processes running. Both keep their JUnit entries, the malformed notebook fails alone, and the leftover
/// processes neither hold up the run nor survive it.
/// </summary>
[Collection("timed runs")]
public sealed class ConcurrentRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Concurrent_runs_keep_their_junit_a_malformed_notebook_fails_alone_and_leftovers_die()
    {
        var folder = Directory.CreateDirectory(_temp.File("folder")).FullName;
        Write(folder, "a_good.ipynb", Code("Console.WriteLine(\"good\");"));
        File.WriteAllText(Path.Combine(folder, "b_broken.ipynb"), "{ not json");
        var messy = Write(_temp.Path, "messy.ipynb",
            Code("System.Diagnostics.Process.Start(\"sh\", new[] { \"-c\", \"sleep 90; : RUNNER-LEFTOVER-MARK\" });\n"
                 + "System.Diagnostics.Process.Start(\"setsid\", new[] { \"-f\", \"sh\", \"-c\", \"sleep 90; : RUNNER-LEFTOVER-MARK\" });"));
        var outDir = _temp.File("out");
        var folderRun = Task.Run(() => RunnerProcess.Run("run", folder, "--out", outDir));
        var messyRun = Task.Run(() => RunnerProcess.Run("run", messy, "--out", outDir, "--timeout", "60"));
        var (a, b) = (await folderRun, await messyRun);

        Assert.True(a.ExitCode == 1, a.Stdout + a.Stderr);
        Assert.Contains("PASS a_good.ipynb", a.Stdout);
        Assert.Contains("FAIL b_broken.ipynb not runnable:", a.Stdout);
        Assert.True(b.ExitCode == 0, b.Stdout + b.Stderr);
        // Before the fix the run waited for the leftovers' pipes: 90 s, past its own 60 s timeout.
        Assert.True(b.Elapsed < TimeSpan.FromSeconds(45), $"the run waited for its leftover processes: {b.Elapsed}");
        var names = XDocument.Load(Path.Combine(outDir, "junit.xml")).Root!.Elements("testcase").Select(t => (string?)t.Attribute("name")).Order();
        Assert.Equal(["a_good.ipynb", "b_broken.ipynb", "messy.ipynb"], names);
        var survivors = Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Count(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains("RUNNER-LEFTOVER-MARK"); } catch (IOException) { return false; } });
        Assert.Equal(0, survivors);
    }

    public void Dispose() => _temp.Dispose();
}
