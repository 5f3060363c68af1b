using System.Formats.Tar;
using System.IO.Compression;
using SslCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky, 2009, "Learning Multiple Layers of Features from Tiny Images"): 50k train + 10k test 32×32
/// colour images, 10 classes, read from the authors' binary version (records of 1 label byte + 3,072 pixel bytes,
/// channel-major R, G, B). Looks in the course cache <c>data/cifar-10/</c>, then <see cref="DataSources.SystemDirs"/>,
/// then downloads the canonical archive (170,052,171 bytes, MD5 checked) and keeps only its six batch files.
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes per record: one label byte, then 32×32 pixels for each of R, G, B.</summary>
    public const int RecordBytes = 1 + 3 * 32 * 32;

    /// <summary>Records per batch file in the canonical data.</summary>
    public const int CanonicalRecords = 10_000;

    /// <summary>The canonical archive.</summary>
    public const string Url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>MD5 of the canonical archive, from the dataset's page.</summary>
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>The ten class names (batches.meta.txt).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The batch files of a split.</summary>
    public static string[] FileNames(bool train) => train
        ? [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")]
        : ["test_batch.bin"];

    /// <summary>Loads a split: images (N, 3, 32, 32) float32 in [0, 1], labels (N) int64, on <paramref name="device"/>.</summary>
    /// <param name="train">Training split (50k) or test split (10k).</param>
    /// <param name="device">Target device (null = CPU).</param>
    /// <param name="limit">Keep only the first this many examples.</param>
    /// <param name="sources">Where to look (null = the real places). <see cref="DataSources.BaseUrl"/> replaces the archive's URL.</param>
    /// <param name="recordsPerFile">Records each batch file must hold (tests write small files).</param>
    /// <param name="archiveMd5">Expected MD5 of a downloaded archive (null skips the check; tests build their own archive).</param>
    public static ImageDataset Load(bool train = true, Device? device = null, int? limit = null, DataSources? sources = null,
        int recordsPerFile = CanonicalRecords, string? archiveMd5 = ArchiveMd5)
    {
        sources ??= DataSources.Default;
        var dir = Locate(sources, recordsPerFile, archiveMd5);
        var files = FileNames(train).Select(f => Path.Combine(dir, f)).ToArray();
        var total = files.Length * recordsPerFile;
        var n = Math.Min(total, limit ?? int.MaxValue);
        var pixels = new byte[(long)n * (RecordBytes - 1)];
        var labels = new byte[n];
        var done = 0;
        foreach (var file in files)
        {
            if (done == n) break;
            var bytes = ReadBatch(file, recordsPerFile);
            for (var r = 0; r < recordsPerFile && done < n; r++, done++)
            {
                labels[done] = bytes[r * RecordBytes];
                if (labels[done] >= ClassNames.Count)
                    throw new InvalidDataException($"{file}: record {r} has label {labels[done]}, expected 0–9");
                Buffer.BlockCopy(bytes, r * RecordBytes + 1, pixels, done * (RecordBytes - 1), RecordBytes - 1);
            }
        }
        using var scope = NewDisposeScope();
        var x = tensor(pixels, [n, 3, 32, 32], ScalarType.Byte).to(ScalarType.Float32).div_(255f);
        var y = tensor(labels, [n], ScalarType.Byte).to(ScalarType.Int64);
        var dev = device ?? CPU;
        return new ImageDataset(x.to(dev).MoveToOuterDisposeScope(), y.to(dev).MoveToOuterDisposeScope(), ClassNames,
            $"cifar-10 {(train ? "train" : "test")} ({n} of {total}) from {dir}");
    }

    /// <summary>Reads one batch file, refusing a wrong size (truncated or foreign file) with a message naming it.</summary>
    public static byte[] ReadBatch(string path, int recordsPerFile = CanonicalRecords)
    {
        var expected = (long)recordsPerFile * RecordBytes;
        var length = new FileInfo(path).Length;
        if (length != expected)
            throw new InvalidDataException($"{path}: {length:N0} bytes, expected {expected:N0} ({recordsPerFile:N0} records of {RecordBytes:N0} bytes); " +
                "the file is truncated or not a CIFAR-10 binary batch");
        return File.ReadAllBytes(path);
    }

    /// <summary>The folder holding all six batch files, downloading and extracting the archive into the cache when none has them.</summary>
    /// <exception cref="FileNotFoundException">Nothing found and no download possible: the message names the three places.</exception>
    public static string Locate(DataSources sources, int recordsPerFile = CanonicalRecords, string? archiveMd5 = ArchiveMd5)
    {
        var cache = Path.Combine(sources.CacheDir ?? DataFolder.Resolve(), "cifar-10");
        var dirs = (sources.SystemDirs ?? []).Prepend(cache).ToList();
        var all = FileNames(true).Concat(FileNames(false)).ToArray();
        foreach (var dir in dirs.SelectMany(d => new[] { d, Path.Combine(d, "cifar-10-batches-bin") }))
            if (all.All(f => File.Exists(Path.Combine(dir, f)))) return dir;
        var url = sources.BaseUrl ?? Url;
        var why = "downloads are disabled";
        if (sources.AllowDownload)
        {
            try
            {
                var archive = Path.Combine(cache, Path.GetFileName(new Uri(url).LocalPath));
                Downloader.Fetch(url, archive, path => VerifyArchive(url, path, archiveMd5), sources.Handler);
                try { Extract(archive, cache, all, recordsPerFile); }
                finally { File.Delete(archive); }   // the six batch files are all the course reads
                return cache;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UriFormatException)
            {
                why = $"downloading {url} failed ({e.Message})";
            }
        }
        throw new FileNotFoundException(
            $"cifar-10: the six batch files ({string.Join(", ", all)}) were not found. Looked in (1) the course cache {cache}, " +
            $"(2) {(dirs.Count > 1 ? string.Join(", ", dirs.Skip(1)) : "no system copy configured")}, (3) the canonical download {url}: {why}. " +
            $"Download {Url} and unpack its cifar-10-batches-bin/*.bin into {cache}.");
    }

    private static void VerifyArchive(string url, string path, string? md5)
    {
        if (md5 is null) return;
        var actual = Checksum.Md5File(path);
        if (actual != md5)
            throw new InvalidDataException($"{url}: checksum mismatch (MD5 {actual}, expected {md5}, {new FileInfo(path).Length:N0} bytes); the download is corrupt");
    }

    // Only the expected regular files are written (never a path taken from the archive), each checked and atomic.
    private static void Extract(string archive, string destination, string[] wanted, int recordsPerFile)
    {
        var found = new Dictionary<string, byte[]>();
        using (var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
            while (tar.GetNextEntry() is { } entry)
            {
                var name = Path.GetFileName(entry.Name);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted.Contains(name) || entry.DataStream is null) continue;
                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                found[name] = buffer.ToArray();
            }
        var missing = wanted.Where(w => !found.ContainsKey(w)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{archive}: the archive lacks {string.Join(", ", missing)}");
        foreach (var (name, bytes) in found)
            if (bytes.Length != (long)recordsPerFile * RecordBytes)
                throw new InvalidDataException($"{archive}: {name} has {bytes.Length:N0} bytes, expected {(long)recordsPerFile * RecordBytes:N0}");
        foreach (var (name, bytes) in found) AtomicFile.WriteAllBytes(Path.Combine(destination, name), bytes);
    }
}
