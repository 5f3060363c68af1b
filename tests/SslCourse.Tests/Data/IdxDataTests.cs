using System.IO.Compression;
using System.Net;
using SslCourse.Data;
using static TorchSharp.torch;

namespace SslCourse.Tests.Data;

public sealed class IdxDataTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sslcourse-idx-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static IdxDatasetSpec Spec => IdxDatasetSpec.FashionMnist with { Checksums = null, SystemDirs = [] };

    private static void WriteSplit(string dir, bool gz, int n = 6, byte fill = 0)
    {
        Directory.CreateDirectory(dir);
        var pixels = Enumerable.Range(0, n * 28 * 28).Select(i => (byte)((i + fill) % 256)).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray();
        foreach (var train in new[] { true, false })
        {
            var names = IdxDatasetSpec.FileNames(train);
            Write(Path.Combine(dir, names[0]), IdxFile.Encode([n, 28, 28], pixels), gz);
            Write(Path.Combine(dir, names[1]), IdxFile.Encode([n], labels), gz);
        }
    }

    private static void Write(string path, byte[] bytes, bool gz)
    {
        if (!gz) { File.WriteAllBytes(path, bytes); return; }
        using var fs = File.Create(path + ".gz");
        using var z = new GZipStream(fs, CompressionLevel.Fastest);
        z.Write(bytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loads_tiny_idx_files_as_scaled_tensors(bool gz)
    {
        WriteSplit(Path.Combine(_root, "fashion-mnist"), gz);
        using var ds = IdxDatasetLoader.Load(Spec, train: true, sources: new DataSources(_root, [], AllowDownload: false));
        Assert.Equal(new long[] { 6, 1, 28, 28 }, ds.Images.shape);
        Assert.Equal(ScalarType.Int64, ds.Labels.dtype);
        Assert.Equal(1f / 255, ds.Images[0, 0, 0, 1].item<float>(), 6);
        Assert.Equal(5, ds.Labels[5].item<long>());
    }

    [Fact]
    public void Truncated_and_bad_magic_files_fail_naming_the_file()
    {
        var dir = Path.Combine(_root, "fashion-mnist");
        WriteSplit(dir, gz: false);
        var images = Path.Combine(dir, "train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..^100]);
        var e = Assert.Throws<InvalidDataException>(() => IdxDatasetLoader.Load(Spec, true, sources: new DataSources(_root, [], false)));
        Assert.Contains(images, e.Message);
        Assert.Contains("size mismatch", e.Message);
        bytes[2] = 0x0D;
        File.WriteAllBytes(images, bytes);
        e = Assert.Throws<InvalidDataException>(() => IdxDatasetLoader.Load(Spec, true, sources: new DataSources(_root, [], false)));
        Assert.Contains("bad magic", e.Message);
        Assert.Contains(images, e.Message);
    }

    [Fact]
    public void Course_cache_is_preferred_and_missing_data_names_all_three_places()
    {
        var cache = Path.Combine(_root, "cache");
        var system = Path.Combine(_root, "system");
        WriteSplit(Path.Combine(cache, "fashion-mnist"), gz: false, fill: 1);
        WriteSplit(system, gz: true, fill: 2);
        using (var ds = IdxDatasetLoader.Load(Spec, true, sources: new DataSources(cache, [system], false)))
            Assert.Equal(1f / 255, ds.Images[0, 0, 0, 0].item<float>(), 6);
        using (var ds = IdxDatasetLoader.Load(Spec, true, sources: new DataSources(Path.Combine(_root, "empty"), [system], false)))
            Assert.Equal(2f / 255, ds.Images[0, 0, 0, 0].item<float>(), 6);
        var e = Assert.Throws<FileNotFoundException>(() => IdxDatasetLoader.Load(Spec, true, sources: new DataSources(Path.Combine(_root, "none"), [Path.Combine(_root, "nosys")], false)));
        Assert.Contains("course cache", e.Message);
        Assert.Contains("system copy", e.Message);
        Assert.Contains("download", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    private sealed class StubHandler(Func<Uri, byte[]?> serve) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = serve(request.RequestUri!);
            return Task.FromResult(body is null ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
        }
    }

    [Fact]
    public void Downloads_into_the_cache_through_the_handler_and_rejects_checksum_mismatches()
    {
        var served = Path.Combine(_root, "served");
        WriteSplit(served, gz: true);
        var handler = new StubHandler(u => File.ReadAllBytes(Path.Combine(served, Path.GetFileName(u.LocalPath))));
        var cache = Path.Combine(_root, "cache");
        using (var ds = IdxDatasetLoader.Load(Spec, false, sources: new DataSources(cache, [], true, handler, "http://example.invalid/")))
            Assert.Equal(6, ds.Count);
        Assert.True(File.Exists(Path.Combine(cache, "fashion-mnist", "t10k-images-idx3-ubyte.gz")));
        // The real spec's MD5s cannot match the tiny files: the download must be refused, not cached.
        var strict = IdxDatasetSpec.FashionMnist with { SystemDirs = [] };
        var cache2 = Path.Combine(_root, "cache2");
        var e = Assert.Throws<InvalidDataException>(() => IdxDatasetLoader.Load(strict, false, sources: new DataSources(cache2, [], true, handler, "http://example.invalid/")));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.False(File.Exists(Path.Combine(cache2, "fashion-mnist", "t10k-images-idx3-ubyte.gz")));
    }
}
