namespace SslCourse.Site;

/// <summary>Bad input to the site builder: a missing folder or asset, a bad argument. One line, naming it.</summary>
public sealed class SiteInputException(string message) : Exception(message);

/// <summary>Where the site builder reads and writes.</summary>
/// <param name="Notebooks">Executed notebooks (and the runner's JUnit files).</param>
/// <param name="Out">The site folder, rewritten.</param>
/// <param name="Assets">node_modules holding katex, plotly.js-dist-min and @highlightjs/cdn-assets.</param>
/// <param name="Repo">The repository root: README.md (chapter table), img/, notebooks/ (sources).</param>
public sealed record SiteOptions(string Notebooks, string Out, string Assets, string Repo)
{
    /// <summary>Parses <c>build --notebooks DIR --out DIR --assets DIR [--repo DIR]</c>.</summary>
    public static SiteOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "build")
            throw new SiteInputException("usage: build --notebooks DIR --out DIR --assets DIR [--repo DIR]");
        var values = new Dictionary<string, string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new SiteInputException($"argument '{args[i]}': expected --notebooks, --out, --assets or --repo followed by a folder");
            values[args[i][2..]] = args[++i];
        }
        foreach (var key in values.Keys.Where(k => k is not ("notebooks" or "out" or "assets" or "repo")))
            throw new SiteInputException($"unknown option --{key}");
        string Need(string key) => values.TryGetValue(key, out var v) ? Path.GetFullPath(v) : throw new SiteInputException($"--{key} DIR is required");
        var options = new SiteOptions(Need("notebooks"), Need("out"), Need("assets"), Path.GetFullPath(values.GetValueOrDefault("repo", ".")));
        if (!Directory.Exists(options.Notebooks) || Directory.GetFiles(options.Notebooks, "*.ipynb").Length == 0)
            throw new SiteInputException($"{options.Notebooks}: no executed notebooks there (run ./course run first)");
        if (!File.Exists(Path.Combine(options.Repo, "README.md")))
            throw new SiteInputException($"{options.Repo}: not the course repository (no README.md)");
        return options;
    }
}
