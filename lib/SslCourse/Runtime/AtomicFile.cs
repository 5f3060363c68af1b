// One implementation for two assemblies: SslCourse.Notebooks compiles this very file (a linked <Compile>) under its own
// namespace, because the course library must not reference that project (notebooks #r SslCourse.dll into the runner,
// which already loads SslCourse.Notebooks.dll) and the tools must not reference the TorchSharp library.
#if SSLCOURSE_NOTEBOOKS
namespace SslCourse.Notebooks;
#else
namespace SslCourse.Runtime;
#endif

/// <summary>Writes files so that a reader sees either the old content or the new, never a torn file.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to a sibling temp file, flushes it, and renames it over <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, string? preserveModeFrom = null)
    {
        var (full, tmp) = TempBeside(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            if (preserveModeFrom is not null && File.Exists(preserveModeFrom) && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(tmp, File.GetUnixFileMode(preserveModeFrom));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>
    /// Lets <paramref name="writeTemp"/> fill a sibling temp file (e.g. a streamed download or a model's save),
    /// flushes it to disk, then renames it over <paramref name="path"/>; when <paramref name="writeTemp"/> throws, the temp file is removed
    /// and <paramref name="path"/> is untouched.
    /// </summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        var (full, tmp) = TempBeside(path);
        try
        {
            writeTemp(tmp);
            using (var fs = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) fs.Flush(flushToDisk: true); // durable before it becomes visible
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Writes text as UTF-8 (no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    private static (string Full, string Temp) TempBeside(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // Same folder as the target so the rename never crosses file systems.
        return (full, Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
    }
}
