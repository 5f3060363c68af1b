namespace SslCourse.Data;

/// <summary>
/// The course's data folder: <c>data/</c> beside <c>SslCourse.sln</c>, found by walking up from the current
/// directory (notebooks run in <c>notebooks/</c>); the <c>SSLCOURSE_DATA</c> environment variable overrides it.
/// </summary>
public static class DataFolder
{
    /// <summary>The data folder, or null when no SslCourse.sln is found above the current directory and no override is set.</summary>
    public static string? Find(string? start = null)
    {
        var env = Environment.GetEnvironmentVariable("SSLCOURSE_DATA");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SslCourse.sln"))) return Path.Combine(dir.FullName, "data");
        return null;
    }

    /// <summary>The data folder, or <c>./data</c> when the course root cannot be found.</summary>
    public static string Resolve() => Find() ?? Path.GetFullPath("data");
}
