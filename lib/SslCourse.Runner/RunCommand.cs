using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>The <c>sslcourse run</c> verb: runs notebooks, writes executed copies, a JUnit report and a summary.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var a = RunArguments.Parse(args);
        var outDir = Path.GetFullPath(a.Out!);
        var notebooks = Expand(a.Paths);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var prepared = new List<(string Path, NotebookDocument Doc, string Out)>();
        foreach (var path in notebooks)
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
            // Check every notebook before running any, so bad input fails fast with exit code 2.
            var doc = NotebookExecutor.Prepare(path, a.Parameters, out var warning);
            if (warning is not null)
            {
                stderr.WriteLine(warning);
            }
            prepared.Add((path, doc, target));
        }

        var results = new List<NotebookResult>();
        foreach (var (path, doc, target) in prepared)
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
            };
            var result = await NotebookExecutor.ExecuteAsync(path, doc, options);
            results.Add(result);
            stdout.WriteLine(result.Passed
                ? string.Create(CultureInfo.InvariantCulture, $"PASS {result.Name} {result.Seconds:0.0}s")
                : $"FAIL {result.Name} {JUnitWriter.FailureMessage(result)}");
        }
        JUnitWriter.Write(a.JUnit ?? Path.Combine(outDir, "junit.xml"), results);
        var passed = results.Count(r => r.Passed);
        stdout.WriteLine($"{passed} passed, {results.Count - passed} failed");
        return passed == results.Count ? 0 : 1;
    }

    /// <summary>Files as given; folders become their .ipynb/.dib files sorted by name (not recursive).</summary>
    private static List<string> Expand(IEnumerable<string> paths)
    {
        var list = new List<string>();
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
                list.AddRange(found);
            }
            else if (File.Exists(path))
            {
                list.Add(path);
            }
            else
            {
                throw new NotebookFormatException(path, "file not found");
            }
        }
        return list;
    }
}
