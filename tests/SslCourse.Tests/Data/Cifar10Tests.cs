using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using SslCourse.Data;
using static TorchSharp.torch;

namespace SslCourse.Tests.Data;

public sealed class Cifar10Tests : IDisposable
{
    private const int Records = 3;
    private readonly string _root = Directory.CreateTempSubdirectory("sslcourse-cifar-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Record r of file f: label (f + r) % 10; pixel p of channel c = (r + c + p) % 256.
    private static byte[] Batch(int file)
    {
        var bytes = new byte[Records * Cifar10.RecordBytes];
        for (var r = 0; r < Records; r++)
        {
            bytes[r * Cifar10.RecordBytes] = (byte)((file + r) % 10);
            for (var i = 0; i < Cifar10.RecordBytes - 1; i++) bytes[r * Cifar10.RecordBytes + 1 + i] = (byte)((r + i / 1024 + i % 1024) % 256);
        }
        return bytes;
    }

    private static IEnumerable<(string Name, byte[] Bytes)> AllBatches() =>
        Cifar10.FileNames(true).Concat(Cifar10.FileNames(false)).Select((name, f) => (name, Batch(f)));

    private DataSources Offline => new(_root, [], AllowDownload: false);

    [Fact]
    public void Loads_channel_major_records_as_scaled_tensors_across_files()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "cifar-10")).FullName;
        foreach (var (name, bytes) in AllBatches()) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        using var train = Cifar10.Load(train: true, sources: Offline, recordsPerFile: Records);
        Assert.Equal(new long[] { 5 * Records, 3, 32, 32 }, train.Images.shape);
        Assert.Equal(new long[] { 0, 1, 2, 1, 2, 3 }, train.Labels[..6].data<long>().ToArray());   // file 0 then file 1
        Assert.Equal((1 + 2 + 5) / 255f, train.Images[1, 2, 0, 5].item<float>(), 6);              // record 1, blue, pixel 5
        Assert.Equal(10, train.Classes);
        using var test = Cifar10.Load(train: false, sources: Offline, recordsPerFile: Records, limit: 2);
        Assert.Equal(2, test.Count);
        Assert.Equal(5, test.Labels[0].item<long>());
    }

    [Fact]
    public void A_truncated_batch_fails_naming_the_file()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "cifar-10")).FullName;
        foreach (var (name, bytes) in AllBatches()) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        var victim = Path.Combine(dir, "data_batch_2.bin");
        File.WriteAllBytes(victim, Batch(1)[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(sources: Offline, recordsPerFile: Records));
        Assert.Contains(victim, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_bad_label_fails_naming_the_file_and_record()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "cifar-10")).FullName;
        foreach (var (name, bytes) in AllBatches()) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        var bad = Batch(5);
        bad[Cifar10.RecordBytes] = 10;
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), bad);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(train: false, sources: Offline, recordsPerFile: Records));
        Assert.Contains("test_batch.bin: record 1 has label 10", e.Message);
    }

    [Fact]
    public void Nothing_found_offline_names_the_three_places()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(sources: new DataSources(_root, ["/nonexistent/cifar"], AllowDownload: false)));
        Assert.Contains(Path.Combine(_root, "cifar-10"), e.Message);
        Assert.Contains("/nonexistent/cifar", e.Message);
        Assert.Contains(Cifar10.Url, e.Message);
        Assert.Contains("downloads are disabled", e.Message);
    }

    private string Archive(bool withTest = true)
    {
        var path = Path.Combine(_root, "served", "cifar-10-binary.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var fs = File.Create(path);
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        using var tar = new TarWriter(gz, TarEntryFormat.Pax);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
        foreach (var (name, bytes) in AllBatches().Where(b => withTest || b.Name != "test_batch.bin"))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/" + name) { DataStream = new MemoryStream(bytes) });
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/readme.html") { DataStream = new MemoryStream("hi"u8.ToArray()) });
        return path;
    }

    private DataSources Serving(string archive) => new(Path.Combine(_root, "cache"), [], AllowDownload: true, BaseUrl: new Uri(archive).AbsoluteUri);

    [Fact]
    public void Downloads_verifies_and_keeps_only_the_batch_files()
    {
        var archive = Archive();
        var md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(archive)));
        using var ds = Cifar10.Load(train: false, sources: Serving(archive), recordsPerFile: Records, archiveMd5: md5);
        Assert.Equal(Records, ds.Count);
        var cache = Path.Combine(_root, "cache", "cifar-10");
        Assert.Equal(Cifar10.FileNames(true).Concat(Cifar10.FileNames(false)).Order(), Directory.GetFiles(cache).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_checksum_mismatch_or_incomplete_archive_writes_no_batch_file()
    {
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(sources: Serving(Archive()), recordsPerFile: Records, archiveMd5: new string('0', 32)));
        Assert.Contains("checksum mismatch", e.Message);
        var partial = Assert.Throws<InvalidDataException>(() => Cifar10.Load(sources: Serving(Archive(withTest: false)), recordsPerFile: Records, archiveMd5: null));
        Assert.Contains("lacks test_batch.bin", partial.Message);
        var cache = Path.Combine(_root, "cache", "cifar-10");
        Assert.Empty(Directory.Exists(cache) ? Directory.GetFiles(cache, "*.bin") : []);
    }
}
