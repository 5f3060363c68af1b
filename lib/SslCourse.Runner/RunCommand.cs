using System.Globalization;
using System.Text.RegularExpressions;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>The <c>sslcourse run</c> verb: runs notebooks, writes executed copies, a JUnit report and a summary.</summary>
internal static partial class RunCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var a = RunArguments.Parse(args);
        var outDir = Path.GetFullPath(a.Out!);
        var junit = Path.GetFullPath(a.JUnit ?? Path.Combine(outDir, "junit.xml"));
        var notebooks = Expand(a.Paths);
        // Before anything runs: a notebook's minutes must not be lost to an output folder that cannot be written.
        CheckWritable(outDir, "--out");
        CheckWritable(Path.GetDirectoryName(junit)!, "--junit");
        SandboxSpec? sandbox = null;
        if (a.Sandbox)
        {
            if (Sandbox.Bwrap is null)
            {
                throw new NotebookFormatException("--sandbox", "bubblewrap (bwrap) is missing or cannot create namespaces on this host (apt-get install bubblewrap)");
            }
            sandbox = new SandboxSpec([.. a.SandboxReadOnly], [.. SslCourse.Grading.SandboxLimits.DefaultEnvironmentNames, .. a.AllowEnv]);
        }
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var prepared = new List<(string Path, NotebookDocument? Doc, string Out, string? Error)>();
        foreach (var (path, fromFolder) in notebooks)
        {
            var target = Path.Combine(outDir, Path.GetFileNameWithoutExtension(path) + ".ipynb");
            if (string.Equals(target, Path.GetFullPath(path), StringComparison.Ordinal))
            {
                throw new NotebookFormatException(path, "output path is the source itself; choose another --out");
            }
            if (!targets.TryAdd(target, path))
            {
                throw new NotebookFormatException(path, $"same output file as {targets[target]}");
            }
            // Check every notebook before running any, so bad input fails fast with exit code 2; a bad notebook
            // found in a folder is that notebook's failure, and the others still run.
            try
            {
                var doc = NotebookExecutor.Prepare(path, a.Parameters, out var warning);
                if (warning is not null)
                {
                    stderr.WriteLine(warning);
                }
                prepared.Add((path, doc, target, null));
            }
            catch (NotebookFormatException e) when (fromFolder)
            {
                stderr.WriteLine($"sslcourse: {e.File}: {e.Message}");
                prepared.Add((path, null, target, e.Message));
            }
        }

        var results = new List<NotebookResult>();
        foreach (var (path, doc, target, error) in prepared)
        {
            NotebookResult result;
            if (doc is null)
            {
                result = new NotebookResult { SourcePath = path, Executed = new NotebookDocument(), Cells = [], Error = $"not runnable: {error}" };
            }
            else
            {
                var options = new ExecutionOptions
                {
                    CellTimeout = TimeSpan.FromSeconds(a.CellTimeout),
                    NotebookTimeout = TimeSpan.FromSeconds(a.Timeout),
                    StopOnError = a.StopOnError,
                    MaxCellOutputBytes = a.MaxCellOutput,
                    MemoryLimitMb = a.MemoryLimitMb,
                    OutputPath = target,
                    Progress = stderr,
                    WorkingDirectory = a.WorkingDirectory,
                    Sandbox = sandbox is null ? null : sandbox with { ReadOnly = [.. sandbox.ReadOnly, .. ReferencedFolders(path, doc, a.WorkingDirectory)] },
                };
                result = await NotebookExecutor.ExecuteAsync(path, doc, options);
            }
            results.Add(result);
            stdout.WriteLine(result.Passed
                ? string.Create(CultureInfo.InvariantCulture, $"PASS {result.Name} {result.Seconds:0.0}s")
                : $"FAIL {result.Name} {JUnitWriter.FailureMessage(result)}");
        }
        JUnitWriter.Merge(junit, results);
        var passed = results.Count(r => r.Passed);
        stdout.WriteLine($"{passed} passed, {results.Count - passed} failed");
        return passed == results.Count ? 0 : 1;
    }

    /// <summary>Creates the folder and writes a probe file in it, or throws a one-line error naming it.</summary>
    private static void CheckWritable(string dir, string option)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".sslcourse-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(dir, $"{option} folder is not writable ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }

    [GeneratedRegex(@"^\s*#r\s+""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex ReferenceRegex();

    /// <summary>Folders of the notebook's relative <c>#r "…"</c> references: the sandbox shows them read-only.</summary>
    private static IEnumerable<string> ReferencedFolders(string path, NotebookDocument doc, string? workDir)
    {
        var baseDir = Path.GetFullPath(workDir ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
        return doc.Cells.Where(c => c.IsCode)
            .SelectMany(c => ReferenceRegex().Matches(c.Source).Select(m => m.Groups[1].Value))
            // Relative references only: an absolute path in a cell never becomes a bind.
            .Where(r => !r.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(r))
            .Select(r => Path.GetDirectoryName(Path.GetFullPath(Path.Combine(baseDir, r))))
            .OfType<string>()
            .Where(d => Directory.Exists(d) && !string.Equals(d, baseDir, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Files as given; folders become their .ipynb/.dib files sorted by name (not recursive).</summary>
    private static List<(string Path, bool FromFolder)> Expand(IEnumerable<string> paths)
    {
        var list = new List<(string, bool)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path)
                    .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".ipynb" or ".dib")
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new NotebookFormatException(path, "folder contains no .ipynb or .dib notebooks");
                }
                list.AddRange(found.Select(f => (f, true)));
            }
            else if (File.Exists(path))
            {
                list.Add((path, false));
            }
            else
            {
                throw new NotebookFormatException(path, "file not found");
            }
        }
        return list;
    }
}
