namespace SslCourse.Data;

/// <summary>
/// Where <see cref="IdxDatasetLoader"/> looks, in order: the course cache, the system copies, then a download.
/// The defaults are the real places; tests pass temporary folders and a stub <see cref="Handler"/>.
/// </summary>
/// <param name="CacheDir">The course data folder (the dataset lives in a sub-folder named after it); null = <see cref="DataFolder.Resolve"/>.</param>
/// <param name="SystemDirs">System copies to try; null = the spec's own.</param>
/// <param name="AllowDownload">Whether to try the network when nothing local is found.</param>
/// <param name="Handler">HTTP handler for downloads (a stub in tests); null = the default.</param>
/// <param name="BaseUrl">Download base URL; null = the spec's own. A file:// URL reads a local folder.</param>
public sealed record DataSources(
    string? CacheDir = null,
    IReadOnlyList<string>? SystemDirs = null,
    bool AllowDownload = true,
    HttpMessageHandler? Handler = null,
    string? BaseUrl = null)
{
    /// <summary>The real places.</summary>
    public static DataSources Default { get; } = new();
}
