using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// <c>sslcourse release</c>: writes the learners' notebooks from masters (solutions → stubs, hidden tests removed,
/// outputs cleared), refusing malformed masters and verifying that nothing secret reached the output.
/// </summary>
public static class Releaser
{
    /// <summary>Releases every master into <paramref name="outDir"/> (same file names).</summary>
    /// <param name="masters">Master notebooks.</param>
    /// <param name="outDir">Output folder (created).</param>
    /// <returns>The written files, in order.</returns>
    /// <exception cref="NotebookFormatException">A malformed master, an output that would overwrite a master, or a leak.</exception>
    public static IReadOnlyList<string> Release(IReadOnlyList<string> masters, string outDir)
    {
        // Check everything before writing anything, so a bad master leaves no partial release.
        var jobs = new List<(MasterNotebook Master, string Target, string Json)>();
        var all = masters.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        foreach (var path in masters)
        {
            var master = MasterNotebook.Load(path);
            var target = Path.GetFullPath(Path.Combine(outDir, Path.GetFileName(path)));
            if (all.Contains(target))
            {
                throw new NotebookFormatException(path, $"release would overwrite the master {target}; choose another --out");
            }
            if (jobs.Any(j => j.Target == target))
            {
                throw new NotebookFormatException(path, $"two masters release to the same file {target}");
            }
            var json = Student(master).ToIpynbJson();
            Verify(master, json, path);
            jobs.Add((master, target, json));
        }
        foreach (var (master, target, json) in jobs)
        {
            AtomicFile.WriteAllText(target, json);
            // Verify what is on disk too: the check is the promise, not the code that produced the text.
            if (LeakCheck.Find(master, NotebookDocument.Load(target)) is { } leak)
            {
                File.Delete(target);
                throw new NotebookFormatException(master.Path, leak);
            }
        }
        return jobs.Select(j => j.Target).ToList();
    }

    /// <summary>The learner's notebook built from a checked master.</summary>
    internal static NotebookDocument Student(MasterNotebook master)
    {
        var doc = master.Doc.Clone();
        foreach (var cell in doc.Cells)
        {
            if (cell.IsCode || cell.IsMarkdown)
            {
                cell.Source = Regions.Release(cell.Source, markdown: cell.IsMarkdown);
            }
        }
        doc.ClearOutputs();
        return doc;
    }

    private static void Verify(MasterNotebook master, string json, string path)
    {
        if (LeakCheck.Find(master, NotebookDocument.ParseIpynb(json, path)) is { } leak)
        {
            throw new NotebookFormatException(path, leak);
        }
    }
}
