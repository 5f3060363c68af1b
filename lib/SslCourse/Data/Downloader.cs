using SslCourse.Runtime;
using SslCourse.Training;

namespace SslCourse.Data;

/// <summary>
/// Downloads one file with a progress line, streaming it to a sibling temp file, verifies that file, and renames
/// it into place: a reader never sees a torn or unverified file, and large files never sit whole in memory.
/// </summary>
public static class Downloader
{
    /// <summary>Fetches <paramref name="url"/> into <paramref name="destination"/> after <paramref name="verify"/> accepts the downloaded file.</summary>
    /// <param name="url">http(s):// or file:// address.</param>
    /// <param name="destination">Where the verified file goes.</param>
    /// <param name="verify">Given the downloaded temp file's path, throws when its content is wrong (e.g. a checksum mismatch); null accepts any.</param>
    /// <param name="handler">HTTP handler (a stub in tests); null = the default.</param>
    /// <param name="timeout">Whole-download time limit (default 10 minutes).</param>
    public static void Fetch(string url, string destination, Action<string>? verify = null, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        AtomicFile.Write(destination, partial =>
        {
            using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
                Copy(new Uri(url), output, handler, timeout ?? TimeSpan.FromMinutes(10));
            verify?.Invoke(partial);
        });
    }

    private static void Copy(Uri uri, Stream output, HttpMessageHandler? handler, TimeSpan timeout)
    {
        if (uri.IsFile)
        {
            using var file = File.OpenRead(uri.LocalPath);
            file.CopyTo(output);
            return;
        }
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = timeout;
        using var response = client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        var total = Math.Max(response.Content.Headers.ContentLength ?? 0, 1);
        using var stream = response.Content.ReadAsStream();
        using var progress = Progress.Start($"download {Path.GetFileName(uri.LocalPath)}", total, "bytes");
        var chunk = new byte[1 << 20];
        long done = 0;
        for (int read; (read = stream.Read(chunk)) > 0;)
        {
            output.Write(chunk, 0, read);
            done += read;
            progress.Report(Math.Min(done, total - 1), double.NaN, read);
        }
        progress.Report(total, double.NaN, 0, force: true);
    }
}
