using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>
/// Loads an IDX image dataset from the first place that has it: the course cache (<c>data/&lt;name&gt;/</c>), the
/// system copy, or a verified download into the cache. Every file is checked (IDX header, size, and the canonical
/// MD5 when known) before it becomes a tensor.
/// </summary>
public static class IdxDatasetLoader
{
    /// <summary>Loads one split as (N, 1, H, W) float32 images in [0, 1] and (N) int64 labels on <paramref name="device"/>.</summary>
    /// <param name="spec">Which dataset.</param>
    /// <param name="train">Training split (else test).</param>
    /// <param name="device">Target device (null = CPU).</param>
    /// <param name="limit">Keep only the first this many examples.</param>
    /// <param name="sources">Where to look (null = the real places).</param>
    public static ImageDataset Load(IdxDatasetSpec spec, bool train, Device? device = null, int? limit = null, DataSources? sources = null)
    {
        sources ??= DataSources.Default;
        var names = IdxDatasetSpec.FileNames(train);
        var imagesPath = Locate(spec, names[0], sources);
        var labelsPath = Locate(spec, names[1], sources);
        var images = Verify(spec, names[0], imagesPath, IdxFile.Read(imagesPath, 3));
        var labels = Verify(spec, names[1], labelsPath, IdxFile.Read(labelsPath, 1));
        if (images.Dims[0] != labels.Dims[0])
            throw new InvalidDataException($"{imagesPath} has {images.Dims[0]} images but {labelsPath} has {labels.Dims[0]} labels");
        int n = Math.Min(images.Dims[0], limit ?? int.MaxValue), h = images.Dims[1], w = images.Dims[2];
        foreach (var l in labels.Data.AsSpan(0, n))
            if (l >= spec.ClassNames.Count) throw new InvalidDataException($"{labelsPath}: label {l} is out of range (classes: {spec.ClassNames.Count})");
        using var scope = NewDisposeScope();
        var x = tensor(images.Data.AsSpan(0, n * h * w).ToArray(), [n, 1, h, w], ScalarType.Byte).to(ScalarType.Float32).div_(255f);
        var y = tensor(labels.Data.AsSpan(0, n).ToArray(), [n], ScalarType.Byte).to(ScalarType.Int64);
        var dev = device ?? CPU;
        return new ImageDataset(x.to(dev).MoveToOuterDisposeScope(), y.to(dev).MoveToOuterDisposeScope(), spec.ClassNames,
            $"{spec.Name} {(train ? "train" : "test")} ({n} of {images.Dims[0]}) from {Path.GetDirectoryName(imagesPath)}");
    }

    /// <summary>The path of <paramref name="file"/> (plain or .gz), downloading it into the cache when no local copy exists.</summary>
    /// <exception cref="FileNotFoundException">Nothing found and no download possible: the message names the three places and the install command.</exception>
    public static string Locate(IdxDatasetSpec spec, string file, DataSources sources)
    {
        var cache = Path.Combine(sources.CacheDir ?? DataFolder.Resolve(), spec.Name);
        var systemDirs = sources.SystemDirs ?? spec.SystemDirs;
        foreach (var dir in systemDirs.Prepend(cache))
            foreach (var candidate in new[] { Path.Combine(dir, file), Path.Combine(dir, file + ".gz") })
                if (File.Exists(candidate)) return candidate;
        var url = (sources.BaseUrl ?? spec.BaseUrl).TrimEnd('/') + "/" + file + ".gz";
        var destination = Path.Combine(cache, file + ".gz");
        string why = "downloads are disabled";
        if (sources.AllowDownload)
        {
            try
            {
                Downloader.Fetch(url, destination, path => VerifyDownload(spec, file, url, File.ReadAllBytes(path)), sources.Handler);
                return destination;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UriFormatException)
            {
                why = $"downloading {url} failed ({e.Message})";
            }
        }
        throw new FileNotFoundException(
            $"{spec.Name}: {file} was not found. Looked in (1) the course cache {cache}, (2) the system copy " +
            $"{string.Join(", ", systemDirs)}, (3) the canonical download {url}: {why}. " +
            $"Get the data with `{spec.InstallHint}` or copy the four IDX files (.gz or plain) into {cache}.", file);
    }

    private static void VerifyDownload(IdxDatasetSpec spec, string file, string url, byte[] bytes)
    {
        var content = IdxFile.Parse(IdxFile.Gunzip(bytes, url), url, file.Contains("idx3") ? 3 : 1);
        if (spec.Checksums?.TryGetValue(file, out var sum) != true) return;
        var md5 = Checksum.Md5(bytes);
        if (md5 != sum!.GzMd5 && (sum.RawMd5 is null || Checksum.Md5(content.Raw) != sum.RawMd5))
            throw new InvalidDataException($"{url}: checksum mismatch (MD5 {md5}, expected {sum.GzMd5}); the download is corrupt");
    }

    private static IdxFile.Content Verify(IdxDatasetSpec spec, string file, string path, IdxFile.Content content)
    {
        if (spec.Checksums is null || !spec.Checksums.TryGetValue(file, out var sum)) return content;
        if (content.Raw.Length != sum.RawBytes)
            throw new InvalidDataException($"{path}: size mismatch: {content.Raw.Length} bytes uncompressed, expected {sum.RawBytes}");
        if (sum.RawMd5 is null) return content;
        var raw = Checksum.Md5(content.Raw);
        if (raw != sum.RawMd5 && Checksum.Md5File(path) != sum.GzMd5)
            throw new InvalidDataException($"{path}: checksum mismatch: MD5 of the IDX content is {raw}, expected {sum.RawMd5}");
        return content;
    }
}
