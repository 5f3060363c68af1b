namespace SslCourse.Notebooks.Tests;

/// <summary>Locations in the repository, found from the test binaries.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding SslCourse.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The course notebooks.</summary>
    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>Where executed notebooks and reports go (ignored by git).</summary>
    public static string Output => Path.Combine(Root, "out", "notebooks-test");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SslCourse.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"SslCourse.sln not found above {AppContext.BaseDirectory}");
    }
}
