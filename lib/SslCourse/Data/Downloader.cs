using SslCourse.Runtime;
using SslCourse.Training;

namespace SslCourse.Data;

/// <summary>Downloads one file with a progress line, verifies it, and writes it atomically (never a torn file).</summary>
public static class Downloader
{
    /// <summary>Fetches <paramref name="url"/> into <paramref name="destination"/> after <paramref name="verify"/> accepts the bytes.</summary>
    /// <param name="url">http(s):// or file:// address.</param>
    /// <param name="destination">Where the verified bytes go.</param>
    /// <param name="verify">Throws when the bytes are wrong (e.g. a checksum mismatch).</param>
    /// <param name="handler">HTTP handler (a stub in tests); null = the default.</param>
    public static void Fetch(string url, string destination, Action<byte[]> verify, HttpMessageHandler? handler = null)
    {
        byte[] bytes;
        var uri = new Uri(url);
        if (uri.IsFile) bytes = File.ReadAllBytes(uri.LocalPath);
        else
        {
            using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            client.Timeout = TimeSpan.FromMinutes(10);
            using var response = client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            var total = response.Content.Headers.ContentLength ?? 0;
            using var stream = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            using var progress = Progress.Start($"download {Path.GetFileName(uri.LocalPath)}", Math.Max(total, 1), "bytes");
            var chunk = new byte[1 << 16];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                progress.Report(Math.Min(buffer.Length, Math.Max(total, 1) - 1), double.NaN, read);
            }
            progress.Report(Math.Max(total, 1), double.NaN, 0, force: true);
            bytes = buffer.ToArray();
        }
        verify(bytes);
        AtomicFile.WriteAllBytes(destination, bytes);
    }
}
