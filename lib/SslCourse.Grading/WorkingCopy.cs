using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// A temporary folder in which one submission runs. The master's relative <c>#r "../lib/…/X.dll"</c> references keep
/// working because each referenced folder is mirrored with one symbolic link per file: a submission that deletes
/// files removes only its own links and copies, never the course library, the master or other submissions.
/// The notebook to run is saved outside the copy, in a private folder; under the sandbox the submission sees only the
/// copy (read-only; its own folder is an in-memory scratch folder there) and the library folders it links to.
/// </summary>
internal sealed class WorkingCopy : IDisposable
{
    private WorkingCopy(string root, string notebookDirectory, string temp, IReadOnlyList<string> libraries)
    {
        Root = root;
        NotebookDirectory = notebookDirectory;
        TempDirectory = temp;
        Libraries = libraries;
        Private = Directory.CreateTempSubdirectory("sslcourse-private-").FullName;
    }

    public string Root { get; }

    /// <summary>Where the graded notebook and the executed copy go: never inside the copy.</summary>
    public string Private { get; }

    /// <summary>The real folders the copy's links point into (shown read-only in the sandbox).</summary>
    public IReadOnlyList<string> Libraries { get; }

    /// <summary>Where the notebook goes (its working directory).</summary>
    public string NotebookDirectory { get; }

    /// <summary>TMPDIR for the run.</summary>
    public string TempDirectory { get; }

    /// <summary>The master's relative <c>#r</c> references (its own cells only: a submission's never count).</summary>
    private static List<string> References(MasterNotebook master) => master.Doc.Cells.Where(c => c.IsCode)
        .SelectMany(c => CSharpSource.References(c.Source)).Select(r => r.Target)
        .Where(r => !r.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(r))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Refuses a master whose referenced library folder holds the master itself or one of <paramref name="private"/>
    /// (submissions, output): the sandbox shows those folders to every submission.
    /// </summary>
    /// <exception cref="NotebookFormatException">Such a folder.</exception>
    public static void CheckLibraries(MasterNotebook master, IEnumerable<string> @private)
    {
        var masterDir = Path.GetDirectoryName(Path.GetFullPath(master.Path))!;
        foreach (var reference in References(master))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(masterDir, reference)))!.TrimEnd('/') + "/";
            foreach (var secret in @private.Select(Path.GetFullPath).Prepend(Path.GetFullPath(master.Path)))
            {
                if ((secret.TrimEnd('/') + "/").StartsWith(dir, StringComparison.Ordinal))
                {
                    throw new NotebookFormatException(master.Path, $"#r \"{reference}\": its folder {dir} holds {secret}, and the sandbox shows that folder to every submission; keep the library in a folder of its own");
                }
            }
        }
    }

    /// <summary>Creates a working copy that mirrors the relative references of <paramref name="master"/>.</summary>
    public static WorkingCopy Create(MasterNotebook master)
    {
        var root = Directory.CreateTempSubdirectory("sslcourse-grade-").FullName;
        var masterDir = Path.GetDirectoryName(Path.GetFullPath(master.Path))!;
        var relative = References(master);
        // The notebook sits as deep below the copy's root as its references climb (../ → one folder), named as in the course.
        var depth = relative.Count == 0 ? 0 : relative.Max(r => r.Replace('\\', '/').Split('/').TakeWhile(s => s == "..").Count());
        var parts = masterDir.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).TakeLast(depth).ToArray();
        var notebookDir = Path.Combine([Path.Combine(root, "work"), .. parts]);
        Directory.CreateDirectory(notebookDir);
        var libraries = new List<string>();
        foreach (var reference in relative)
        {
            var sourceDir = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(masterDir, reference)));
            var targetDir = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(notebookDir, reference)));
            if (sourceDir is null || targetDir is null || !Directory.Exists(sourceDir) || Directory.Exists(targetDir))
            {
                continue;
            }
            Mirror(sourceDir, targetDir);
            libraries.Add(sourceDir);
        }
        var temp = Path.Combine(root, "tmp");
        Directory.CreateDirectory(temp);
        return new WorkingCopy(root, notebookDir, temp, libraries);
    }

    /// <summary>
    /// Saves <paramref name="doc"/> in the copy as <paramref name="fileName"/>, runs it, and reads back the executed
    /// notebook (null when the executor wrote none). The executed file is then removed, so a re-run never reads a stale one.
    /// </summary>
    /// <exception cref="NotebookFormatException">The executor wrote an unreadable notebook.</exception>
    public async Task<(NotebookDocument? Executed, ExecutionOutcome Outcome)> RunAsync(INotebookExecutor executor, NotebookDocument doc, string fileName, GradeOptions options, TextWriter? progress, CancellationToken cancellationToken, JudgeSpec? judge = null)
    {
        var notebookPath = Path.Combine(Private, fileName);
        var executedPath = Path.Combine(Private, "executed.ipynb");
        doc.Save(notebookPath);
        var outcome = await executor.ExecuteAsync(new ExecutionRequest
        {
            NotebookPath = notebookPath,
            WorkingDirectory = NotebookDirectory,
            OutputPath = executedPath,
            Parameters = options.Parameters,
            Limits = options.Limits,
            TempDirectory = TempDirectory,
            Progress = progress,
            Sandbox = options.Sandbox,
            ReadOnlyPaths = [Path.Combine(Root, "work"), .. Libraries],
            Judge = judge,
        }, cancellationToken);
        File.Delete(notebookPath);
        if (!File.Exists(executedPath))
        {
            return (null, outcome);
        }
        var executed = NotebookDocument.Load(executedPath);
        File.Delete(executedPath);
        return (executed, outcome);
    }

    private static void Mirror(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(file)), file);
        }
        foreach (var dir in Directory.EnumerateDirectories(source))
        {
            Mirror(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }

    public void Dispose()
    {
        RunnerProcessExecutor.TryDelete(Root);
        RunnerProcessExecutor.TryDelete(Private);
    }
}
