using SslCourse.Export;
using SslCourse.Notebooks;

// sslcourse-export [--out DIR] [--repo DIR] NOTEBOOK|FOLDER...
//   Each notebook → DIR/NAME.cs, a .NET 10 file-based app (dotnet run -c Release DIR/NAME.cs -- --profile ci).
try
{
    var (paths, outDir, repo) = (new List<string>(), Path.GetFullPath("out/apps"), Path.GetFullPath("."));
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] is "--out" or "--repo")
        {
            if (i + 1 >= args.Length) throw new ExportException($"{args[i]} needs a folder");
            if (args[i] == "--out") outDir = Path.GetFullPath(args[++i]); else repo = Path.GetFullPath(args[++i]);
        }
        else if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ExportException($"unknown option {args[i]} (export takes --out DIR, --repo DIR and notebooks)");
        else paths.Add(args[i]);
    }
    if (paths.Count == 0) paths.Add(Path.Combine(repo, "notebooks"));
    var notebooks = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*.ipynb").Order(StringComparer.Ordinal)
        : File.Exists(p) ? (IEnumerable<string>)[p] : throw new ExportException($"{p}: no such notebook or folder")).ToList();
    Directory.CreateDirectory(outDir);
    foreach (var nb in notebooks)
    {
        var target = Path.Combine(outDir, Path.GetFileNameWithoutExtension(nb) + ".cs");
        File.WriteAllText(target, AppWriter.Write(NotebookDocument.Load(nb), nb, target, repo));
        Console.WriteLine($"exported {Path.GetRelativePath(repo, nb)} → {Path.GetRelativePath(repo, target)}");
    }
    return 0;
}
catch (Exception e) when (e is ExportException or NotebookFormatException)
{
    Console.Error.WriteLine($"sslcourse-export: {e.Message}");
    return 2;
}
